"""Foreign keys lifted for a load into an empty table come back identical and still catch a
bad row; a table with rows, a table in use, or SEED_KEEP_FOREIGN_KEYS keeps them in place."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from seed_data import foreign_keys
from seed_data.errors import SeedError
from tests.conftest import Cli, InProcess

KEY_OIDS = sa.text("select oid, conname from pg_constraint where contype = 'f' order by 2")
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


def test_a_seed_from_empty_leaves_every_foreign_key_as_it_was(
    alembic: InProcess, engine: sa.Engine
) -> None:
    alembic.upgrade("schema@head")
    with engine.connect() as connection:
        before = connection.execute(KEYS).all()
        oids: dict[int, str] = {oid: name for oid, name in connection.execute(KEY_OIDS)}
    alembic.upgrade("seed@head")
    with engine.connect() as connection:
        assert connection.execute(KEYS).all() == before
        lifted = {name for oid, name in connection.execute(KEY_OIDS) if oids.get(oid) != name}
    # every seeded table starts empty: all eight keys (orders' five, inventory_movements'
    # two, batches' one) were lifted for its load and re-created
    assert {"fk_orders_client_id", "fk_inventory_movements_batch_id"} <= lifted
    assert len(lifted) == 8


def test_a_bad_row_loaded_without_the_keys_fails_when_they_come_back(
    alembic: InProcess, engine: sa.Engine
) -> None:
    alembic.upgrade("seed@seed_0006")  # clients and users exist, orders is empty
    with engine.connect() as connection:
        with (
            pytest.raises(SeedError, match=r"writing orders failed: .*fk_orders_client_id"),
            foreign_keys.checked_after_load(connection, "orders"),
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
        with foreign_keys.checked_after_load(connection, "orders"):
            assert foreign_key_count(connection) == 5
        with (
            pytest.raises(IntegrityError, match="fk_orders_client_id"),
            connection.begin_nested(),
            foreign_keys.checked_after_load(connection, "orders"),
        ):
            connection.execute(APP_ORDER, {"number": "APP-2", "client": 10**9})


def test_switched_off_or_in_use_the_keys_stay(
    alembic: InProcess, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    alembic.upgrade("seed@seed_0006")
    with engine.connect() as connection:
        with foreign_keys.checked_after_load(connection, "orders", enabled=False):
            assert foreign_key_count(connection) == 5
        connection.rollback()
    monkeypatch.setattr(foreign_keys, "LOCK_WAIT", "100ms")
    with engine.connect() as reader, engine.connect() as seeder:
        reader.execute(sa.text("select count(*) from orders"))  # holds ACCESS SHARE
        with foreign_keys.checked_after_load(seeder, "orders"):
            assert foreign_key_count(seeder) == 5  # could not lock: per-row checks
        assert seeder.scalar(sa.text("select current_setting('lock_timeout')")) == "0"
        seeder.rollback()
        reader.rollback()


def test_keep_foreign_keys_setting_keeps_the_very_same_constraints(
    cli: Cli, engine: sa.Engine
) -> None:
    """Lifting re-creates a key (a new oid, same definition); SEED_KEEP_FOREIGN_KEYS loads
    with the original ones in place."""
    assert cli("upgrade", "schema@head").returncode == 0
    with engine.connect() as connection:
        before = connection.execute(KEY_OIDS).all()
    result = cli("upgrade", "seed@head", env={"SEED_KEEP_FOREIGN_KEYS": "true"})
    assert result.returncode == 0, result.stderr
    with engine.connect() as connection:
        assert connection.execute(KEY_OIDS).all() == before
        assert connection.scalar(sa.text("select count(*) from orders")) == 80
