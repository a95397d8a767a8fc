"""Every Alembic command a user may type works or refuses in one line; only migrating
commands take the seeding lock and leave an audit row; a stamp never makes
alembic_version disagree with the ledger."""

import pytest
import sqlalchemy as sa
from alembic import context as alembic_context
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from seed_data.locking import LOCK_ID, LOCK_NAMESPACE
from seed_data.plan import SEED_BRANCH, applied_revisions, is_seed_revision
from tests.conftest import ALEMBIC_INI, SCHEMA_HEAD, SEED_HEAD, Cli, InProcess, versions


def audit_rows(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        if connection.scalar(sa.text("select to_regclass('seed_runs')")) is None:
            return 0
        return int(connection.scalar(sa.text("select count(*) from seed_runs")) or 0)


def ledger_revisions(engine: sa.Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.scalars(sa.text("select distinct revision from seed_ledger")))


def one_failed_line(result_stderr: str) -> str:
    """The one FAILED line; Alembic's own INFO lines may come before it."""
    failed = [line for line in result_stderr.splitlines() if line.startswith("FAILED: ")]
    assert len(failed) == 1 and "Traceback" not in result_stderr, result_stderr
    return failed[0]


@pytest.fixture
def seeded(database_seeded_small: URL, engine: sa.Engine) -> sa.Engine:
    return engine


def test_read_only_commands_take_no_lock_and_leave_no_audit_row(
    seeded: sa.Engine, cli: Cli
) -> None:
    before = audit_rows(seeded)
    with seeded.connect() as holder:  # another run holds the lock the whole time
        holder.execute(
            sa.text("select pg_advisory_lock(:n, :i)"), {"n": LOCK_NAMESPACE, "i": LOCK_ID}
        )
        holder.commit()
        env = {"SEED_LOCK_TIMEOUT": "0"}
        for command in (
            ["current"],
            ["current", "-v"],
            ["history"],
            ["history", "-i"],
            ["heads"],
            ["branches"],
            ["show", "seed_0005"],
            ["show", "current"],
        ):
            result = cli(*command, env=env)
            assert result.returncode == 0, (command, result.stdout, result.stderr)
            assert "FAILED" not in result.stdout + result.stderr
        current = cli("current", "-v", env=env)
    assert f"{SEED_HEAD} (head)" in current.stdout
    assert "connect_timeout" not in current.stdout + current.stderr  # URLs print as given
    assert audit_rows(seeded) == before


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["check"], "this project has none: both branches are written by hand"),
        (["revision", "--autogenerate", "-m", "x"], "compare models with the database"),
        (["upgrade", "seed@head", "--sql"], "offline mode (--sql) is not supported"),
        (["upgrade", "head"], "Multiple head revisions are present"),
        (["upgrade", "no_such_revision"], "Can't locate revision identified by"),
    ],
)
def test_commands_that_cannot_work_here_refuse_in_one_line(
    cli: Cli, engine: sa.Engine, command: list[str], expected: str
) -> None:
    result = cli(*command)
    assert result.returncode == 1
    assert expected in one_failed_line(result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select to_regclass('users')")) is None


@pytest.mark.parametrize(
    "command",
    [
        ["stamp", "seed_0005"],
        ["stamp", "base"],
        ["stamp", "schema@head"],
        ["stamp", "--purge", "base"],
    ],
)
def test_a_stamp_that_would_orphan_seeded_rows_is_refused(
    seeded: sa.Engine, cli: Cli, command: list[str]
) -> None:
    before = audit_rows(seeded)
    result = cli(*command)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "in the database while alembic_version no longer lists them" in result.stderr
    assert "Traceback" not in result.stderr
    assert versions(seeded) == {SEED_HEAD}
    assert audit_rows(seeded) == before + 1  # a stamp migrates: it is audited


def test_stamps_that_tell_the_truth_work(seeded: sa.Engine, cli: Cli) -> None:
    purged = cli("stamp", "--purge", "seed@head")
    assert purged.returncode == 0, purged.stderr
    assert versions(seeded) == {SEED_HEAD}
    assert cli("downgrade", "seed@-2").returncode == 0
    assert versions(seeded) == {"seed_0008"}
    # stamping at or above the ledger's newest revision keeps every seeded row listed
    assert cli("stamp", "seed_0009").returncode == 0
    assert versions(seeded) == {"seed_0009"}
    assert ledger_revisions(seeded) <= applied_revisions(
        ScriptDirectory.from_config(Config(str(ALEMBIC_INI))), ["seed_0009"]
    )
    again = cli("stamp", "seed_0009")
    assert again.returncode == 0
    assert again.stdout.startswith("nothing to do: the database is already at seed_0009;")

    assert cli("downgrade", "seed@base").returncode == 0
    no_ledger = cli("stamp", "seed@head")  # seed_0001 would have made the ledger
    assert no_ledger.returncode == 1
    assert "which seed_0001 creates and this database lacks" in one_failed_line(no_ledger.stderr)
    assert versions(seeded) == {SCHEMA_HEAD}
    emptied = cli("stamp", "--purge", "base")  # no seed data: nothing to orphan
    assert emptied.returncode == 0, emptied.stderr
    assert versions(seeded) == set()


def test_seed_branch_membership_is_by_branch_not_by_name() -> None:
    script = ScriptDirectory.from_config(Config(str(ALEMBIC_INI)))
    seed = {r.revision for r in script.walk_revisions() if is_seed_revision(script, r.revision)}
    assert seed == {f"seed_{n:04d}" for n in range(1, 11)}
    root = script.get_revision(SEED_BRANCH)
    assert root is not None and root.revision == "seed_0001"
    assert applied_revisions(script, [SEED_HEAD]) == seed | {
        "schema_0001",
        "schema_0002",
        SCHEMA_HEAD,
    }


def test_the_alembic_internals_plan_reads_are_still_there(
    alembic: InProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """seed_data/plan.py reads three things Alembic does not document: the environment
    behind `alembic.context`, its command options, and the migration step function."""
    seen: dict[str, object] = {}
    original = EnvironmentContext.run_migrations

    def spy(self: EnvironmentContext, **kw: object) -> None:
        seen["proxy"] = alembic_context._proxy  # type: ignore[attr-defined]
        seen["self"] = self
        seen["options"] = dict(self.context_opts)
        migration_context: MigrationContext = self.get_context()
        seen["steps_for"] = migration_context._migrations_fn
        original(self, **kw)

    monkeypatch.setattr(EnvironmentContext, "run_migrations", spy)
    alembic.upgrade("schema@head")
    assert seen["proxy"] is seen["self"]
    options = seen["options"]
    assert isinstance(options, dict) and options["destination_rev"] == "schema@head"
    assert callable(seen["steps_for"])
