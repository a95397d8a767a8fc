"""Ctrl-C and SIGTERM in the middle of a revision: it rolls back, the audit says
`interrupted`, the lock is free, and the command ends with one line and 130 or 143."""

import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.locking import LOCK_ID, LOCK_NAMESPACE
from tests.conftest import (
    ALEMBIC_INI,
    PROJECT_ROOT,
    Cli,
    clean_environ,
    render,
    table_counts,
    versions,
)


def wait_until_blocked(engine: sa.Engine, timeout: float = 30) -> None:
    """Until the seeding run waits for the lock this test holds on orders."""
    deadline = time.monotonic() + timeout
    query = sa.text(
        "select count(*) from pg_stat_activity where datname = current_database() "
        "and application_name = 'terp-seed' and wait_event_type = 'Lock'"
    )
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if connection.scalar(query):
                return
        time.sleep(0.05)
    raise AssertionError("the seeding run never reached the orders table")


ALEMBIC = (sys.executable, "-m", "alembic", "-c", str(ALEMBIC_INI))


def start(
    database_url: URL, *command: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env={**clean_environ(), "DATABASE_URL": render(database_url), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def upgrade(database_url: URL, target: str) -> None:
    """Before and after the interrupted run, which alone needs a process of its own."""
    result = Cli(database_url, {})("upgrade", target)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_rolls_back_the_revision_in_flight(
    database_url: URL, engine: sa.Engine, signum: int, code: int
) -> None:
    upgrade(database_url, "seed_0006")
    with engine.connect() as blocker:
        # seed_0007 writes orders: hold it up there, mid-revision
        blocker.execute(sa.text("lock table orders in access exclusive mode"))
        run = start(database_url, *ALEMBIC, "upgrade", "seed@head")
        wait_until_blocked(engine)
        run.send_signal(signum)
        stdout, stderr = run.communicate(timeout=30)
        blocker.rollback()
    assert run.returncode == code, stdout + stderr
    assert "Traceback" not in stderr
    failed = [line for line in stderr.splitlines() if line.startswith("FAILED:")]
    assert failed == [
        f"FAILED: interrupted by {signal.Signals(signum).name}: seed_0007 was rolled back; "
        "revisions that finished before it stay committed (`alembic current` shows where the "
        "database is). Run the same command again to go on."
    ]
    assert versions(engine) == {"seed_0006"}
    assert table_counts(engine, ("orders", "order_line_items")) == {
        "orders": 0,
        "order_line_items": 0,
    }
    with engine.connect() as connection:
        outcome, error = connection.execute(
            sa.text("select outcome, error from seed_runs order by id desc limit 1")
        ).one()
        assert (outcome, error) == ("interrupted", f"interrupted by {signal.Signals(signum).name}")
        assert connection.scalar(
            sa.text("select pg_try_advisory_lock(:n, :i)"), {"n": LOCK_NAMESPACE, "i": LOCK_ID}
        )
    upgrade(database_url, "seed@head")


def test_the_release_passes_sigterm_on(database_url: URL, engine: sa.Engine) -> None:
    """Railway stops a pre-deploy container with SIGTERM: the release ends with 143, not
    with the "seed failed, deploy goes on" exit 0."""
    upgrade(database_url, "seed_0006")
    with engine.connect() as blocker:
        blocker.execute(sa.text("lock table orders in access exclusive mode"))
        release = start(
            database_url, str(PROJECT_ROOT / "scripts" / "release"), env={"SEED_ON_RELEASE": "yes"}
        )
        wait_until_blocked(engine)
        release.send_signal(signal.SIGTERM)
        stdout, stderr = release.communicate(timeout=30)
        blocker.rollback()
    assert release.returncode == 143, stdout + stderr
    assert "interrupted by SIGTERM: seed_0007 was rolled back" in stderr
    assert "WARNING: SEED FAILED" not in stderr
    assert versions(engine) == {"seed_0006"}
