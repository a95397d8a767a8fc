"""Seeding beside the app's own rows: they are never judged, never collided with, never
changed; derived columns hold at every revision; the app keeps writing meanwhile."""

import time

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from scripts.bench_living import Writers
from seed_data import changes
from seed_data.errors import SeedError
from seed_data.validation import MAX_LISTED_RANGES, Scope, check
from seed_data.validation.model import Rule
from terp.rules import RULES
from terp.rules.amounts import DERIVED_RULES
from tests.conftest import SEEDED_TABLES, Cli, DatabaseFactory, InProcess, versions

SEED_REVISIONS = [f"seed_{n:04d}" for n in range(1, 11)]
APP_TAG = "app"


def first_values(engine: sa.Engine) -> dict[str, str]:
    """The first value the seed writes into every unique column (and e-mail column)."""
    queries = {
        "open_id": "select open_id from users order by id limit 1",
        "user_email": "select email from users order by id limit 1",
        "vendor": "select name from vendors order by id limit 1",
        "vendor_email": "select contact_email from vendors order by id limit 1",
        "strain": "select name from strains order by id limit 1",
        "client_email": "select email from clients order by id limit 1",
        "sku": "select sku from batches order by id limit 1",
    }
    with engine.connect() as connection:
        return {key: str(connection.scalar(sa.text(query))) for key, query in queries.items()}


def plant_app_rows(engine: sa.Engine, first: dict[str, str]) -> None:
    """App rows holding the seed's first codes, names and e-mails, and rows in the app's
    own formats, which the seed's rules would call malformed."""
    with engine.begin() as connection:
        execute = connection.exec_driver_sql
        execute(
            "insert into users (open_id, name, email) values (%(open_id)s, 'App User', "
            "%(user_email)s), ('app-user-2', 'App Two', null)",
            first,
        )
        execute(
            "insert into vendors (name, contact_email) values (%(vendor)s, %(vendor_email)s)",
            first,
        )
        execute("insert into strains (name, standardized_name) values (%(strain)s, 'x')", first)
        execute(
            "insert into clients (teri_code, name, email) values ('WHL0001', 'App Whale', "
            "%(client_email)s), ('REG0001', 'App Regular', null), ('ACME-1', 'Acme', null)",
            first,
        )
        execute("insert into lots (code, vendor_id, date) values ('LOT-00001', 1, '2024-01-02')")
        execute(
            "insert into batches (code, sku, product_id, lot_id, payment_terms) "
            "values ('BATCH-000001', %(sku)s, 1, 1, 'COD')",
            first,
        )
        app_client, app_user = (
            connection.scalar(sa.text("select min(id) from clients")),
            connection.scalar(sa.text("select min(id) from users")),
        )
        for number in ("ORD-000001", "APP-ORD-1"):
            execute(
                "insert into orders (order_number, order_type, client_id, created_by, "
                "quote_status) values (%s, 'QUOTE', %s, %s, 'DRAFT')",
                (number, app_client, app_user),
            )
        execute(
            "insert into invoices (invoice_number, customer_id, invoice_date, due_date, "
            "created_by) values ('INV-000001', %s, '2024-01-03', '2024-02-03', %s)",
            (app_client, app_user),
        )
        execute(
            "insert into payments (payment_number, payment_type, payment_date, amount, "
            "payment_method, created_by) values ('PAY-000001', 'RECEIVED', '2024-01-04', 5, "
            "'CASH', %s)",
            (app_user,),
        )


def app_rows(engine: sa.Engine, ids: dict[str, set[int]]) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as connection:
        return {
            table: [
                tuple(row)
                for row in connection.execute(
                    sa.text(f"select * from {table} where id = any(:ids) order by id"),
                    {"ids": sorted(table_ids)},
                )
            ]
            for table, table_ids in ids.items()
        }


def all_ids(engine: sa.Engine) -> dict[str, set[int]]:
    with engine.connect() as connection:
        return {
            table: set(connection.scalars(sa.text(f"select id from {table}")))
            for table in SEEDED_TABLES
        }


def seeded_counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("select table_name, sum(row_count) from seed_ledger group by table_name")
        )
        return {table: int(count) for table, count in rows}


@pytest.mark.parametrize("profile", ["small", pytest.param("medium", marks=pytest.mark.slow)])
def test_the_seed_skips_what_the_app_already_holds(
    make_database: DatabaseFactory, monkeypatch: pytest.MonkeyPatch, profile: str
) -> None:
    empty_url, app_url = make_database(), make_database()
    empty = sa.create_engine(empty_url, poolclass=NullPool)
    app = sa.create_engine(app_url, poolclass=NullPool)
    try:
        InProcess(empty_url, monkeypatch).upgrade("seed@head", profile=profile)
        InProcess(app_url, monkeypatch).upgrade("schema@head")
        plant_app_rows(app, first_values(empty))
        planted = all_ids(app)
        before = app_rows(app, planted)

        InProcess(app_url, monkeypatch).upgrade("seed@head", profile=profile)
        assert versions(app) == {"seed_0010"}
        assert app_rows(app, planted) == before  # byte for byte
        assert seeded_counts(app) == seeded_counts(empty)
        with app.connect() as connection:
            # the seed's own codes keep TERP's format, past the ones the app holds
            first_seeded_lot = connection.scalar(
                sa.text("select min(code) from lots where not (id = any(:ids))"),
                {"ids": sorted(planted["lots"])},
            )
            scope = Scope.of_ledger(connection)
            broken = [
                str(found)
                for rule in RULES
                if not rule.whole_database and rule.reads <= set(scope.ranges)
                if (found := check(connection, rule, scope))
            ]
        assert first_seeded_lot == "LOT-00002"
        assert broken == []
    finally:
        empty.dispose()
        app.dispose()


def derived_violations(engine: sa.Engine) -> list[str]:
    with engine.connect() as connection:
        return [str(found) for rule in DERIVED_RULES if (found := check(connection, rule))]


def fingerprint(engine: sa.Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return {
            table: str(
                connection.scalar(
                    sa.text(
                        f"select md5(coalesce(string_agg(x::text, '|' order by x.id), '')) "
                        f"from {table} x"
                    )
                )
            )
            for table in SEEDED_TABLES
        }


def test_derived_columns_hold_at_every_revision_and_every_downgrade_step(
    alembic: InProcess,
    engine: sa.Engine,
    make_database: DatabaseFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alembic.upgrade("seed@head")
    assert derived_violations(engine) == []
    with engine.connect() as connection:
        spent, owed, linked = connection.execute(
            sa.text(
                "select sum(total_spent), sum(total_owed), "
                "(select count(invoice_id) from orders) from clients"
            )
        ).one()
    assert spent > 0 and owed > 0 and linked > 0

    for target in reversed(["schema_0003", *SEED_REVISIONS[:-1]]):
        alembic.downgrade("seed@-1")
        assert derived_violations(engine) == [], target
        fresh_url = make_database()  # ids from a fresh sequence, as this database's were
        InProcess(fresh_url, monkeypatch).upgrade(target)
        fresh = sa.create_engine(fresh_url, poolclass=NullPool)
        assert fingerprint(engine) == fingerprint(fresh), target
        fresh.dispose()
    assert versions(engine) == {"schema_0003"}


def test_what_the_app_adds_to_a_seeded_clients_totals_survives(
    alembic: InProcess, engine: sa.Engine
) -> None:
    alembic.upgrade("seed@head")
    with engine.begin() as connection:
        client = connection.scalar(sa.text("select min(id) from clients where total_spent > 0"))
        connection.execute(
            sa.text(
                "update clients set total_spent = total_spent + 100, "
                "total_owed = total_owed + 50 where id = :id"
            ),
            {"id": client},
        )
    alembic.downgrade("seed_0006")  # the invoice and order revisions undone
    with engine.connect() as connection:
        spent, owed = connection.execute(
            sa.text("select total_spent, total_owed from clients where id = :id"), {"id": client}
        ).one()
    assert (spent, owed) == (100, 50)


@pytest.mark.slow
def test_the_app_keeps_writing_while_a_staging_seed_runs_and_is_undone(
    cli: Cli, database_url: URL, engine: sa.Engine
) -> None:
    staging = {"SEED_ENV": "staging"}
    assert cli("upgrade", "schema@head", env=staging).returncode == 0
    with Writers(database_url, 3) as writers:
        time.sleep(0.5)
        up = cli("-x", "profile=large", "upgrade", "seed@head", env=staging, timeout=600)
        time.sleep(0.5)
        confirmed = {**staging, "SEED_CONFIRM": str(database_url.database)}
        down = cli("downgrade", "seed@base", env=confirmed, timeout=600)
        time.sleep(0.5)
    assert up.returncode == 0, up.stderr
    assert down.returncode == 0, down.stderr
    assert writers.failures == []
    assert len(writers.orders) > 10
    with engine.connect() as connection:
        orders = set(connection.scalars(sa.text("select order_number from orders")))
        clients = set(connection.scalars(sa.text("select teri_code from clients")))
        lines = connection.scalar(sa.text("select count(*) from order_line_items"))
    assert orders == set(writers.orders)  # no app row lost, no seeded row left
    assert all(code.startswith("APP-") for code in clients)
    assert lines == 3 * len(writers.orders)


@pytest.mark.parametrize("ranges", [3, MAX_LISTED_RANGES + 8])
def test_a_scoped_rule_reads_exactly_the_seeded_ranges(engine: sa.Engine, ranges: int) -> None:
    """Listed bounds (the planner sees them) or, past MAX_LISTED_RANGES, the multirange
    joined: either way the rule sees the seeded rows and nothing else."""
    seeded = [range(10 * n + 1, 10 * n + 6) for n in range(ranges)]  # 5 of every 10 ids
    multirange = "{" + ",".join(f"[{r.start},{r.stop})" for r in seeded) + "}"
    rule = Rule.over("all_rows", "scoped", (), "every row", "select id from scoped")
    with engine.begin() as connection:
        connection.execute(sa.text("create table scoped (id bigint primary key)"))
        connection.execute(
            sa.text("insert into scoped select generate_series(1, :last)"), {"last": 10 * ranges}
        )
        violation = check(connection, rule, Scope({"scoped": multirange}, mixed={"scoped"}))
    assert violation is not None
    assert (violation.count, violation.example_id) == (5 * ranges, 1)


def test_a_change_may_not_reuse_the_parameters_the_change_itself_binds(engine: sa.Engine) -> None:
    pending = changes.Pending("set", "orders", "invoice_id", "select 1, 1", {"revision": 1})
    with engine.connect() as connection, pytest.raises(SeedError, match=r"\['revision'\]"):
        changes.apply(connection, "seed_0008", pending)
