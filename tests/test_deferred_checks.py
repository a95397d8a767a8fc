"""Foreign keys and indexes dropped for a load into an empty table come back identical and
the keys still catch a bad row; a table with rows, a table in use, staging and production,
or SEED_LOAD_IN_PLACE keep everything in place."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from seed_data import deferred_checks
from seed_data.errors import SeedError
from seed_data.run import SeedRun
from seed_data.settings import resolve_settings
from tests.conftest import Cli, InProcess

KEY_OIDS = sa.text("select oid, conname from pg_constraint where contype = 'f' order by 2")
# the seed branch's own tables (seed_ledger, seed_runs) come with seed_0001: left out
INDEX_OIDS = sa.text(
    "select c.oid, c.relname from pg_class c join pg_index i on i.indexrelid = c.oid "
    "join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace "
    "where n.nspname = 'public' and t.relname not like 'seed\\_%' order by 2"
)
INDEXES = sa.text(
    "select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' "
    "and tablename not like 'seed\\_%' order by 1, 2"
)
KEYS = sa.text(
    "select conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated "
    "from pg_constraint where contype = 'f' order by 1, 2"
)
APP_ORDER = sa.text(
    "insert into orders (order_number, order_type, client_id, created_by) "
    "values (:number, 'SALE', :client, (select min(id) from users))"
)


def foreign_key_count(connection: sa.Connection) -> int:
    return int(
        connection.scalar(
            sa.text(
                "select count(*) from pg_constraint where contype = 'f' "
                "and conrelid = 'orders'::regclass"
            )
        )
        or 0
    )


def test_a_seed_from_empty_leaves_every_key_and_index_as_it_was(
    alembic: InProcess, engine: sa.Engine
) -> None:
    alembic.upgrade("schema@head")
    with engine.connect() as connection:
        before = connection.execute(KEYS).all(), connection.execute(INDEXES).all()
        keys = {oid: name for oid, name in connection.execute(KEY_OIDS)}
        indexes = {oid: name for oid, name in connection.execute(INDEX_OIDS)}
    alembic.upgrade("seed@head")
    with engine.connect() as connection:
        assert (connection.execute(KEYS).all(), connection.execute(INDEXES).all()) == before
        new_keys = {name for oid, name in connection.execute(KEY_OIDS) if keys.get(oid) != name}
        new_indexes = {
            name for oid, name in connection.execute(INDEX_OIDS) if indexes.get(oid) != name
        }
    # every seeded table starts empty: all eight keys (orders' five, inventory_movements'
    # two, batches' one) and the plain indexes were re-created after its load; the primary
    # keys and unique constraints stayed
    assert {"fk_orders_client_id", "fk_inventory_movements_batch_id"} <= new_keys
    assert len(new_keys) == 8
    assert {"ix_order_line_items_batch_id", "ix_payments_invoice_id"} <= new_indexes
    assert not any(name.startswith(("pk_", "uq_")) for name in new_indexes)


def test_a_bad_row_loaded_without_the_keys_fails_when_they_come_back(
    alembic: InProcess, engine: sa.Engine
) -> None:
    alembic.upgrade("seed@seed_0006")  # clients and users exist, orders is empty
    with engine.connect() as connection:
        with (
            pytest.raises(SeedError, match=r"writing orders failed: .*fk_orders_client_id"),
            deferred_checks.checked_after_load(connection, "orders"),
        ):
            assert foreign_key_count(connection) == 0  # lifted for the load
            connection.execute(APP_ORDER, {"number": "APP-1", "client": 10**9})
        connection.rollback()
        assert foreign_key_count(connection) == 5


def test_a_table_with_rows_keeps_its_keys_during_the_load(
    alembic: InProcess, engine: sa.Engine
) -> None:
    alembic.upgrade("seed@seed_0006")
    with engine.begin() as connection:
        client = connection.scalar(sa.text("select min(id) from clients"))
        connection.execute(APP_ORDER, {"number": "APP-1", "client": client})
        with deferred_checks.checked_after_load(connection, "orders"):
            assert foreign_key_count(connection) == 5
        with (
            pytest.raises(IntegrityError, match="fk_orders_client_id"),
            connection.begin_nested(),
            deferred_checks.checked_after_load(connection, "orders"),
        ):
            connection.execute(APP_ORDER, {"number": "APP-2", "client": 10**9})


def test_switched_off_or_in_use_the_keys_stay(
    alembic: InProcess, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    alembic.upgrade("seed@seed_0006")
    with engine.connect() as connection:
        with deferred_checks.checked_after_load(connection, "orders", enabled=False):
            assert foreign_key_count(connection) == 5
        connection.rollback()
    monkeypatch.setattr(deferred_checks, "LOCK_WAIT", "100ms")
    with engine.connect() as reader, engine.connect() as seeder:
        reader.execute(sa.text("select count(*) from orders"))  # holds ACCESS SHARE
        with deferred_checks.checked_after_load(seeder, "orders"):
            assert foreign_key_count(seeder) == 5  # could not lock: per-row checks
        assert seeder.scalar(sa.text("select current_setting('lock_timeout')")) == "0"
        seeder.rollback()
        reader.rollback()


@pytest.mark.parametrize(
    "env", [{"SEED_LOAD_IN_PLACE": "true"}, {"SEED_ENV": "staging"}], ids=["in-place", "staging"]
)
def test_loading_in_place_keeps_the_very_same_keys_and_indexes(
    cli: Cli, engine: sa.Engine, env: dict[str, str]
) -> None:
    """Deferring re-creates a key or index (a new oid, same definition); with
    SEED_LOAD_IN_PLACE, and by default in staging, the loads run with the originals."""
    assert cli("upgrade", "schema@head").returncode == 0
    with engine.connect() as connection:
        before = connection.execute(KEY_OIDS).all(), connection.execute(INDEX_OIDS).all()
    result = cli("upgrade", "seed@head", env=env)
    assert result.returncode == 0, result.stderr
    with engine.connect() as connection:
        after = connection.execute(KEY_OIDS).all(), connection.execute(INDEX_OIDS).all()
        assert after == before
        assert connection.scalar(sa.text("select count(*) from orders")) == 80


def test_an_index_a_constraint_depends_on_stays_in_place(
    alembic: InProcess, engine: sa.Engine
) -> None:
    """An app's foreign key may reference a plain unique index of orders: that index is
    left alone (dropping it would fail), the rest is deferred as usual."""
    alembic.upgrade("seed@seed_0006")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "create unique index ux_orders_number_type on orders (order_number, order_type)"
            )
        )
        connection.execute(
            sa.text(
                "create table app_order_refs (number text, kind text, foreign key (number, kind) "
                "references orders (order_number, order_type))"
            )
        )
    with engine.connect() as connection:
        with deferred_checks.checked_after_load(connection, "orders"):
            assert foreign_key_count(connection) == 0
            assert connection.scalar(sa.text("select to_regclass('ux_orders_number_type')"))
            assert not connection.scalar(sa.text("select to_regclass('ix_orders_client_id')"))
        assert foreign_key_count(connection) == 5
        assert connection.scalar(sa.text("select to_regclass('ix_orders_client_id')"))
        connection.rollback()


@pytest.mark.parametrize(
    ("env", "stamped", "defers"),
    [
        ({}, None, True),  # development
        ({"SEED_ENV": "test"}, None, True),
        ({"SEED_ENV": "staging"}, None, False),
        ({}, "production", False),  # the database's stamp is stricter than SEED_ENV
        ({"SEED_ENV": "staging", "SEED_LOAD_IN_PLACE": "false"}, None, True),
        ({"SEED_LOAD_IN_PLACE": "true"}, None, False),
    ],
)
def test_deferring_is_for_development_and_test_unless_set(
    env: dict[str, str], stamped: str | None, defers: bool
) -> None:
    run = SeedRun(
        resolve_settings({}, {"DATABASE_URL": "postgresql://db/terp", **env}), environment=stamped
    )
    assert run.defers_checks is defers
