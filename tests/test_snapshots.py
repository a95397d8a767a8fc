"""`python -m seed_data snapshot`: save, change, restore gives back every row exactly; every
refusal is one line and changes nothing."""

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from tests.conftest import contents, render, seed_data_command


def snapshot(url: URL, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = seed_data_command("snapshot", *args, env={"DATABASE_URL": render(url), **(env or {})})
    return result.returncode, result.stdout, result.stderr


@pytest.fixture
def seeded(database_seeded_small: URL) -> Iterator[URL]:
    yield database_seeded_small
    snapshot(database_seeded_small, "delete", "seeded")  # the template outlives the test's database


def test_save_change_restore_gives_back_every_row(seeded: URL) -> None:
    before = contents(seeded)
    code, out, err = snapshot(seeded, "save", "seeded")
    assert code == 0, err
    assert out.startswith(f"snapshot: saved {seeded.database} as seeded (")
    code, out, _ = snapshot(seeded, "list")
    assert (
        f"seeded: of {seeded.database}, seed head seed_0010, profile small, random seed 42" in out
    )
    engine = sa.create_engine(seeded, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(sa.text("delete from inventory_movements"))
        connection.execute(sa.text("update clients set name = 'changed'"))
    engine.dispose()
    assert contents(seeded) != before
    code, _, err = snapshot(seeded, "restore", "seeded")
    assert code == 0, err
    assert contents(seeded) == before


def test_refusals_are_one_line_and_change_nothing(seeded: URL) -> None:
    code, _, err = snapshot(seeded, "restore", "missing")
    assert code == 2 and err == (
        f"FAILED: database '{seeded.database}' has no snapshot 'missing' (its snapshots: none); "
        "`python -m seed_data snapshot list` shows them all\n"
    )
    code, _, err = snapshot(seeded, "save", "x", env={"SEED_ENV": "staging"})
    assert code == 2 and "snapshots are for development and test databases" in err
    code, _, err = snapshot(seeded, "save", "Bad-Name")
    assert code == 2 and "lower-case letters" in err

    engine = sa.create_engine(seeded, poolclass=NullPool)
    with engine.connect() as holder:
        holder.execute(sa.text("set application_name = 'someone-else'"))
        pid = holder.scalar(sa.text("select pg_backend_pid()"))
        holder.commit()
        code, _, err = snapshot(seeded, "save", "seeded")
        assert code == 2
        (line,) = err.splitlines()
        assert f"has other open connections: someone-else (pid {pid})" in line
        assert "--terminate-connections" in line
        code, _, err = snapshot(seeded, "save", "seeded", "--terminate-connections")
        assert code == 0, err
    engine.dispose()


def test_a_role_without_createdb_is_told_which_privilege(seeded: URL, engine: sa.Engine) -> None:
    role = f"nocreate_{seeded.database}"[:63]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as admin:
        admin.execute(sa.text(f"create role {role} login password 'a-password-1'"))
    try:
        url = seeded.set(username=role, password="a-password-1")
        code, _, err = snapshot(url, "save", "seeded")
        assert code == 2
        assert err == (
            f"FAILED: role '{role}' may not create databases: snapshots need the CREATEDB "
            f"privilege (ALTER ROLE {role} CREATEDB, as a superuser), or the embedded "
            "PostgreSQL\n"
        )
    finally:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as admin:
            admin.execute(sa.text(f"drop role {role}"))
