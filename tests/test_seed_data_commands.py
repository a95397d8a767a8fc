"""`python -m seed_data`: one entry point, help a person can use, and the same one-line
refusal (exit 2) from every command for a database that is not TERP's."""

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from tests.conftest import Cli, render, seed_data_command

COMMANDS = ("validate", "scan", "mask", "stamp-environment", "report")


def test_help_says_what_each_command_does_with_an_example() -> None:
    top = seed_data_command("--help")
    assert top.returncode == 0
    assert "examples:" in top.stdout and "one subcommand per module" not in top.stdout
    for command in (*COMMANDS, "embedded", "restore", "snapshot"):  # these need arguments
        result = seed_data_command(command, "--help")
        assert result.returncode == 0, result.stderr
        assert "example" in result.stdout, command
        assert f"python -m seed_data {command}" in result.stdout, command
    inventory = seed_data_command("pii-inventory", "--help")
    assert "python -m seed_data pii-inventory > docs/pii-inventory.md" in inventory.stdout


def test_there_is_one_entry_point() -> None:
    old = seed_data_command("mask", module="seed_data.pii")
    assert old.returncode != 0
    assert "is a package and cannot be directly executed" in old.stderr
    # the embedded server's stop and delete are commands of the one entry point too
    module = seed_data_command("stop", module="seed_data.embedded")
    assert module.returncode == 0 and module.stdout == ""
    wrong = seed_data_command("embedded", "halt")
    assert wrong.returncode == 2 and "invalid choice: 'halt'" in wrong.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_that_is_not_terps_is_one_line_and_exit_2(
    command: str, database_url: URL, engine: sa.Engine
) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("create table notes (id int primary key, body text)"))
        connection.execute(sa.text("insert into notes values (1, 'jane.doe@gmail.com')"))
    args = ["staging"] if command == "stamp-environment" else []
    result = seed_data_command(command, *args, env={"DATABASE_URL": render(database_url)})
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        f"FAILED: database {database_url.database!r} holds none of TERP's tables: point "
        "--database-url or DATABASE_URL at a TERP database (or run `alembic upgrade "
        "schema@head` first)\n"
    )
    with engine.connect() as connection:
        tables = set(
            connection.scalars(
                sa.text("select tablename from pg_tables where schemaname = 'public'")
            )
        )
    assert tables == {"notes"}  # nothing written: no audit table, no stamp


def test_stamp_environment_reads_the_name_in_any_case_and_refuses_others(
    database_url: URL, engine: sa.Engine
) -> None:
    env = {"DATABASE_URL": render(database_url)}
    assert seed_data_command("stamp-environment", "staging", env=env).returncode == 2
    assert Cli(database_url, {})("upgrade", "schema@head").returncode == 0
    ok = seed_data_command("stamp-environment", "Staging", env=env)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.endswith("development -> staging\n")
    bad = seed_data_command("stamp-environment", "prod", env=env)
    assert bad.returncode == 2
    assert bad.stderr.startswith("FAILED: ENV='prod' is not an environment")
