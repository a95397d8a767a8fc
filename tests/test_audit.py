"""Every migrating run leaves a seed_runs row and JSON log lines, whatever its outcome."""

import json

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.errors import DowngradeRefused, SeedError
from seed_data.locking import LOCK_ID, LOCK_NAMESPACE
from tests.conftest import SEED_HEAD, Cli, InProcess, table_counts


def runs(engine: sa.Engine) -> list[sa.Row[tuple[object, ...]]]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                sa.text(
                    "select direction, target, outcome, error, revisions, environment, "
                    "database, profile, random_seed, who from seed_runs order by id"
                )
            )
        )


def test_upgrade_and_downgrade_are_recorded(cli: Cli, engine: sa.Engine) -> None:
    assert cli("-x", "random_seed=5", "upgrade", "seed@head").returncode == 0
    movements = table_counts(engine, ("inventory_movements",))["inventory_movements"]
    down = cli("downgrade", "seed@-1", env={"SEED_LOG_FORMAT": "json"})
    assert down.returncode == 0
    up, undo = runs(engine)
    assert (up.direction, up.target, up.outcome, up.error) == (
        "upgrade",
        SEED_HEAD,
        "success",
        None,
    )
    assert (up.environment, up.profile, up.random_seed) == ("development", "small", 5)
    assert up.database == engine.url.database
    assert "@" in str(up.who)
    upgraded = {entry["revision"]: entry for entry in up.revisions}
    assert upgraded["seed_0005"]["rows"] == {"clients": 25}
    # each upgrade says where its time went: per table written, and the validation
    assert set(upgraded["seed_0007"]["timings"]) == {
        "orders",
        "order_line_items",
        "validation",
        "changes",  # clients.total_spent, changed last
    }
    assert upgraded["seed_0007"]["changed"]["clients.total_spent"] > 0
    assert all(seconds >= 0 for seconds in upgraded["seed_0007"]["timings"].values())
    assert (undo.direction, undo.outcome) == ("downgrade", "success")
    (deleted,) = undo.revisions
    assert deleted["revision"] == SEED_HEAD
    assert deleted["rows"] == {"inventory_movements": movements}
    assert deleted["id_ranges"] == {"inventory_movements": f"{{[1,{movements + 1})}}"}
    # one JSON line per revision and one per run
    events = [json.loads(line) for line in down.stdout.splitlines()]
    seeding = [event["event"] for event in events if event["event"].startswith("seed_")]
    assert seeding == ["seed_revision", "seed_run"]
    run_events = [event for event in events if event["event"] == "seed_run"]
    assert run_events[0]["outcome"] == "success"


def test_a_refused_run_is_recorded_although_it_rolled_back(
    alembic: InProcess, engine: sa.Engine
) -> None:
    alembic.upgrade("seed@head")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "insert into orders (order_number, order_type, client_id, created_by) "
                "select 'APP-1', 'SALE', min(c.id), min(u.id) from clients c, users u"
            )
        )
    with pytest.raises(DowngradeRefused):
        alembic.downgrade("seed@base")
    last = runs(engine)[-1]
    assert (last.direction, last.outcome) == ("downgrade", "refused")
    assert "orders (column client_id)" in str(last.error)
    assert last.revisions == []


def test_a_failed_revision_is_recorded(
    database_at_schema_head: URL, alembic: InProcess, engine: sa.Engine
) -> None:
    with engine.begin() as connection:  # breaks seed_0003 mid-run, not caught by preflight
        connection.execute(
            sa.text("alter table vendors add constraint no_vendors check (false) not valid")
        )
    with pytest.raises(SeedError, match=r'writing vendors failed: .*check constraint "no_vendors"'):
        alembic.upgrade("seed@head")
    last = runs(engine)[-1]
    assert last.outcome == "failed"
    assert "no_vendors" in str(last.error)
    assert [entry["revision"] for entry in last.revisions] == ["seed_0002"]


def test_dry_runs_leave_no_audit_row(alembic: InProcess, engine: sa.Engine) -> None:
    alembic.upgrade("seed@head", dry_run="true")
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select to_regclass('seed_runs')")) is None


def last_run(engine: sa.Engine) -> sa.Row[tuple[object, ...]]:
    with engine.connect() as connection:
        return connection.execute(
            sa.text(
                "select direction, outcome, error, who, database_user, client_address, "
                "application_name from seed_runs order by id desc limit 1"
            )
        ).one()


def test_a_lock_timeout_and_a_bad_setting_are_recorded(cli: Cli, engine: sa.Engine) -> None:
    assert cli("upgrade", "schema@head").returncode == 0
    with engine.connect() as holder:
        holder.execute(
            sa.text("select pg_advisory_lock(:n, :i)"), {"n": LOCK_NAMESPACE, "i": LOCK_ID}
        )
        holder.commit()
        timed_out = cli("upgrade", "seed@head", env={"SEED_LOCK_TIMEOUT": "0"})
    assert timed_out.returncode == 1
    run = last_run(engine)
    assert (run.direction, run.outcome) == ("unknown", "failed")
    assert "another run holds the seeding lock" in str(run.error)

    bad = cli("upgrade", "seed@head", env={"SEED_ENV": "prod"})
    assert bad.returncode == 1
    run = last_run(engine)
    assert (run.outcome, run.error) == (
        "refused",
        "SEED_ENV='prod' is not an environment: use one of development, test, staging, production",
    )


def test_the_server_side_of_who_is_recorded(cli: Cli, engine: sa.Engine) -> None:
    """LOGNAME is whatever the caller sets; the database role and the session are not."""
    assert (
        cli("upgrade", "schema@head", env={"LOGNAME": "someone-else", "USER": "x"}).returncode == 0
    )
    run = last_run(engine)
    assert run.database_user == engine.url.username
    assert run.application_name == "terp-seed"
    if engine.url.host:  # TCP: the server saw an address; a socket has none
        assert run.client_address is not None
