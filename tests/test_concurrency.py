"""Real processes: concurrent runs serialise on the lock, and a killed run leaves every
revision either fully applied or absent, with its lock freed by the server."""

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.locking import LOCK_ID, LOCK_NAMESPACE
from tests.conftest import (
    ALEMBIC_INI,
    PROJECT_ROOT,
    SEED_HEAD,
    SEED_VARIABLES,
    Cli,
    DatabaseFactory,
    InProcess,
    contents,
    render,
)


def test_eight_concurrent_runs_serialise(
    cli_process: Cli, database_url: URL, alembic: InProcess, make_database: DatabaseFactory
) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: cli_process("upgrade", "seed@head"), range(8)))
    assert [result.returncode for result in results] == [0] * 8, [r.stdout for r in results]
    # exactly one did the work; the others waited, then found it done
    worked = [result for result in results if "rows per table" in result.stdout]
    assert len(worked) == 1
    reference = make_database()
    InProcess(reference, alembic.monkeypatch).upgrade("seed@head")
    assert contents(database_url) == contents(reference)


def lock_is_free(engine: sa.Engine) -> bool:
    with engine.connect() as connection:
        free = connection.scalar(
            sa.text("select pg_try_advisory_lock(:n, :i)"), {"n": LOCK_NAMESPACE, "i": LOCK_ID}
        )
        connection.execute(sa.text("select pg_advisory_unlock_all()"))
    return bool(free)


def test_sigkill_mid_run_then_rerun_is_identical_to_a_clean_run(
    database_url: URL, engine: sa.Engine, alembic: InProcess, make_database: DatabaseFactory
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in SEED_VARIABLES}
    env["DATABASE_URL"] = render(database_url)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "alembic",
            "-c",
            str(ALEMBIC_INI),
            "-x",
            "profile=medium",
            "upgrade",
            "seed@head",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:  # kill it once it is inside the seed branch
        if "Running upgrade seed_0007" in line:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL

    deadline = time.monotonic() + 5
    while not lock_is_free(engine):
        assert time.monotonic() < deadline, "the killed run's lock was not freed"
        time.sleep(0.1)

    with engine.connect() as connection:
        applied = set(connection.scalars(sa.text("select version_num from alembic_version")))
        ledger: dict[str, int] = {
            table: count
            for table, count in connection.execute(
                sa.text("select table_name, row_count from seed_ledger")
            )
        }
        for table, count in ledger.items():  # every applied revision is complete
            assert connection.scalar(sa.text(f"select count(*) from {table}")) == count
    assert applied and applied <= {"seed_0006", "seed_0007", "seed_0008"}

    alembic.upgrade("seed@head", profile="medium")
    reference = make_database()
    InProcess(reference, alembic.monkeypatch).upgrade("seed@head", profile="medium")
    assert contents(database_url) == contents(reference)
    with engine.connect() as connection:
        assert set(connection.scalars(sa.text("select version_num from alembic_version"))) == {
            SEED_HEAD
        }
