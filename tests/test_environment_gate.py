"""Production is refused unless both keys are given; the database remembers production."""

import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.environment import stamped_environment
from tests.conftest import (
    SCHEMA_HEAD,
    SEED_HEAD,
    Cli,
    render,
    seed_data_command,
    table_counts,
    versions,
)


def refused(result_stderr: str, returncode: int) -> bool:
    return returncode != 0 and "FAILED: refusing to seed production database" in result_stderr


def nothing_seeded(engine: sa.Engine) -> bool:
    with engine.connect() as connection:
        has_users = connection.scalar(sa.text("select to_regclass('users') is not null"))
    return not has_users or table_counts(engine, ("users",)) == {"users": 0}


def test_seed_env_production_is_refused(cli: Cli, engine: sa.Engine) -> None:
    result = cli("upgrade", "seed@head", env={"SEED_ENV": "production"})
    assert refused(result.stderr, result.returncode), result.stdout + result.stderr
    assert "SEED_ALLOW_PRODUCTION is not set" in result.stderr
    assert nothing_seeded(engine)
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select to_regclass('alembic_version')")) is None


def test_railway_environment_production_is_refused(cli: Cli, engine: sa.Engine) -> None:
    result = cli("upgrade", "seed@head", env={"RAILWAY_ENVIRONMENT_NAME": "production"})
    assert refused(result.stderr, result.returncode), result.stderr
    assert "RAILWAY_ENVIRONMENT_NAME says production" in result.stderr
    assert nothing_seeded(engine)


def test_wrong_database_name_is_refused_and_the_right_one_works(
    cli: Cli, engine: sa.Engine, database_url: URL
) -> None:
    env = {"SEED_ENV": "production", "SEED_ALLOW_PRODUCTION": "some_other_database"}
    result = cli("upgrade", "seed@head", env=env)
    assert refused(result.stderr, result.returncode)
    assert "not to this database's name" in result.stderr
    assert nothing_seeded(engine)

    env["SEED_ALLOW_PRODUCTION"] = str(database_url.database)
    allowed = cli("upgrade", "seed@head", env=env)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert versions(engine) == {SEED_HEAD}
    assert "environment production" in allowed.stdout


def test_schema_migrates_in_production_and_the_stamp_sticks(
    cli: Cli, engine: sa.Engine, database_url: URL
) -> None:
    deploy = cli("upgrade", "schema@head", env={"RAILWAY_ENVIRONMENT_NAME": "production"})
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    assert versions(engine) == {SCHEMA_HEAD}
    with engine.connect() as connection:
        assert stamped_environment(connection) == "production"

    # today's variable says development, but the database says production
    result = cli("upgrade", "seed@head", env={"SEED_ENV": "development"})
    assert refused(result.stderr, result.returncode)
    assert "the database is stamped production" in result.stderr
    assert nothing_seeded(engine)
    # downgrading seed data in production needs the keys too
    down = cli("downgrade", "seed@base", env={"SEED_ENV": "development"})
    assert down.returncode == 0  # nothing to undo: no seed step, no gate
    assert versions(engine) == {SCHEMA_HEAD}

    # re-stamping is deliberate: the command wants the database's name typed out
    env = {"DATABASE_URL": render(database_url)}
    refused_restamp = seed_data_command("stamp-environment", "staging", env=env)
    assert refused_restamp.returncode == 2
    assert f"repeat with --confirm-database {database_url.database}" in refused_restamp.stderr
    restamp = seed_data_command(
        "stamp-environment", "staging", "--confirm-database", str(database_url.database), env=env
    )
    assert restamp.returncode == 0, restamp.stdout + restamp.stderr
    assert "production -> staging" in restamp.stdout
    again = cli("upgrade", "seed@head")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "environment staging" in again.stdout


def test_stamp_command_needs_the_schema(database_url: URL) -> None:
    result = seed_data_command(
        "stamp-environment", "test", env={"DATABASE_URL": render(database_url)}
    )
    assert result.returncode == 2
    assert "holds none of TERP's tables" in result.stderr
