"""The seeding lock, and dry runs that leave nothing behind."""

import pytest
import sqlalchemy as sa

from seed_data.errors import SeedError
from seed_data.locking import LOCK_ID, LOCK_NAMESPACE, ensure_session_kept
from tests.conftest import SEED_HEAD, SEEDED_TABLES, Cli, InProcess, table_counts, versions


def test_lock_timeout_names_the_holder(cli: Cli, engine: sa.Engine) -> None:
    with engine.connect() as holder:
        holder.execute(sa.text("set application_name = 'some-other-run'"))
        holder.execute(
            sa.text("select pg_advisory_lock(:n, :i)"), {"n": LOCK_NAMESPACE, "i": LOCK_ID}
        )
        holder.commit()
        pid = holder.scalar(sa.text("select pg_backend_pid()"))
        result = cli("upgrade", "seed@head", env={"SEED_LOCK_TIMEOUT": "1"})
    assert result.returncode != 0
    assert f"another run holds the seeding lock: pid {pid} (some-other-run" in result.stderr
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select to_regclass('alembic_version')")) is None
    # the holder's session ended: the lock is free at once
    rerun = cli("upgrade", "seed@head", env={"SEED_LOCK_TIMEOUT": "1"})
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert versions(engine) == {SEED_HEAD}
    with engine.connect() as connection:  # the refused run is on record, then the seeding
        outcomes = connection.scalars(sa.text("select outcome from seed_runs order by id"))
        assert list(outcomes) == ["failed", "success"]


def test_dry_run_leaves_everything_as_it_was(
    alembic: InProcess, engine: sa.Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    alembic.upgrade("schema@head")
    capsys.readouterr()
    alembic.upgrade("seed@head", dry_run="true")
    summary = capsys.readouterr().out
    assert "dry run: nothing written" in summary
    assert "users" in summary
    assert versions(engine) == {"schema_0003"}
    assert set(table_counts(engine, SEEDED_TABLES).values()) == {0}
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select to_regclass('seed_ledger')")) is None


def test_a_lock_lost_to_connection_pooling_is_detected(engine: sa.Engine) -> None:
    """What a transaction-pooling proxy does: the statement after the lock lands on a
    session that does not hold it."""
    with engine.connect() as connection:
        with pytest.raises(SeedError, match="transaction-pooling proxy such as PgBouncer"):
            ensure_session_kept(connection)
        connection.execute(
            sa.text("select pg_advisory_lock(:n, :i)"), {"n": LOCK_NAMESPACE, "i": LOCK_ID}
        )
        ensure_session_kept(connection)  # the same session: fine
