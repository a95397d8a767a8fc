"""A downgrade deletes exactly what its revision inserted, and refuses (deleting nothing)
when rows made outside seeding point at seeded rows."""

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.errors import DowngradeRefused
from tests.conftest import SEED_HEAD, SEEDED_TABLES, Cli, InProcess, table_counts, versions


def first_id(connection: sa.Connection, table: str) -> int:
    return int(connection.scalar(sa.text(f"select min(id) from {table}")) or 0)


def test_app_rows_survive_downgrade(
    database_seeded_small: URL, alembic: InProcess, engine: sa.Engine
) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("insert into vendors (name) values ('Made In The App')"))
        connection.execute(
            sa.text("insert into clients (teri_code, name) values ('APP0001', 'App Client')")
        )
        connection.execute(
            sa.text("insert into users (open_id, name) values ('app-user-1', 'App User')")
        )
    alembic.downgrade("seed@base")
    assert table_counts(engine, ("vendors", "clients", "users")) == {
        "vendors": 1,
        "clients": 1,
        "users": 1,
    }
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select name from vendors")) == "Made In The App"


def assert_refused_and_untouched(
    alembic: InProcess, engine: sa.Engine, target: str, expected: str
) -> None:
    before = table_counts(engine, SEEDED_TABLES)
    with pytest.raises(DowngradeRefused) as refusal:
        alembic.downgrade(target)
    message = str(refusal.value)
    assert expected in message, message
    assert "Nothing was deleted" in message
    assert "\n" not in message
    # the app row itself is counted in `before` and must still be there
    assert table_counts(engine, SEEDED_TABLES) == before
    assert versions(engine) == {SEED_HEAD}


def test_logical_reference_blocks_downgrade(
    database_seeded_small: URL, alembic: InProcess, engine: sa.Engine
) -> None:
    with engine.begin() as connection:
        brand = first_id(connection, "brands")
        connection.execute(
            sa.text(
                "insert into products (brand_id, name_canonical, category) "
                "values (:brand, 'App Product', 'Edibles')"
            ),
            {"brand": brand},
        )
    assert_refused_and_untouched(
        alembic,
        engine,
        "seed@base",
        "1 row(s) of products (column brand_id) reference seeded brands",
    )


def test_real_fk_blocks_downgrade(
    database_seeded_small: URL, alembic: InProcess, engine: sa.Engine
) -> None:
    with engine.begin() as connection:
        for number in (1, 2):
            connection.execute(
                sa.text(
                    "insert into orders (order_number, order_type, client_id, created_by) "
                    "values (:number, 'SALE', :client, :user)"
                ),
                {
                    "number": f"APP-{number}",
                    "client": first_id(connection, "clients"),
                    "user": first_id(connection, "users"),
                },
            )
    # seed@-6 undoes the orders' revisions too, down to and including the clients
    assert_refused_and_untouched(
        alembic, engine, "seed@-6", "2 row(s) of orders (column client_id) reference seeded clients"
    )


def test_cascading_fk_from_an_app_table_blocks_downgrade(
    database_seeded_small: URL, alembic: InProcess, engine: sa.Engine
) -> None:
    """An FK the seeder never heard of, with ON DELETE CASCADE, must not eat app rows."""
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "create table app_user_notes (id bigserial primary key, "
                "user_id bigint references users(id) on delete cascade, body text)"
            )
        )
        connection.execute(
            sa.text("insert into app_user_notes (user_id, body) values (:user, 'keep me')"),
            {"user": first_id(connection, "users")},
        )
    assert_refused_and_untouched(
        alembic,
        engine,
        "seed@base",
        "1 row(s) of app_user_notes (column user_id) reference seeded users",
    )
    assert table_counts(engine, ("app_user_notes",)) == {"app_user_notes": 1}


def test_seeded_self_references_do_not_block(
    database_seeded_small: URL, alembic: InProcess, engine: sa.Engine
) -> None:
    with engine.connect() as connection:
        linked = connection.scalar(
            sa.text("select count(*) from orders where converted_from_order_id is not null")
        )
    assert linked and linked > 0  # converted sales point at their quotes
    alembic.downgrade("seed@base")
    assert table_counts(engine, ("orders",)) == {"orders": 0}


def test_polymorphic_reference_blocks_downgrade(
    database_seeded_small: URL, alembic: InProcess, engine: sa.Engine
) -> None:
    """An app movement citing a seeded order (reference_type ORDER) keeps the order."""
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "insert into inventory_movements (batch_id, movement_type, quantity_change, "
                "quantity_before, quantity_after, reference_type, reference_id, performed_by) "
                "select b.id, 'RETURN', 0, b.on_hand_qty, b.on_hand_qty, 'ORDER', :order, :user "
                "from batches b order by b.id limit 1"
            ),
            {"order": first_id(connection, "orders"), "user": first_id(connection, "users")},
        )
    assert_refused_and_untouched(
        alembic,
        engine,
        "seed@base",
        "1 row(s) of inventory_movements (column reference_id) reference seeded orders",
    )


@pytest.mark.parametrize(
    ("table", "target"),
    [("seed_runs", "seed@-1"), ("seed_environment", "seed@-1"), ("clients", "seed@base")],
)
def test_a_forged_ledger_row_never_widens_a_downgrade(
    database_seeded_small: URL, cli: Cli, engine: sa.Engine, table: str, target: str
) -> None:
    """seed_0010 writes inventory_movements only: a ledger row naming another table (the
    audit trail, the environment stamp, or a table another revision writes) is refused."""
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "insert into seed_ledger (revision, table_name, position, id_ranges, row_count, "
                "profile, random_seed, package_versions) values "
                "(:revision, :table, 99, '{[1,1000)}', 999, 'small', 42, '{}')"
            ),
            {"revision": SEED_HEAD, "table": table},
        )
        runs = int(connection.scalar(sa.text("select count(*) from seed_runs")) or 0)
    before = table_counts(engine, SEEDED_TABLES)
    result = cli("downgrade", target)
    assert result.returncode == 1
    assert (
        f"FAILED: refusing to undo {SEED_HEAD}: seed_ledger lists rows of {table}, which "
        f"{SEED_HEAD} does not write (it writes inventory_movements)"
    ) in result.stderr
    assert versions(engine) == {SEED_HEAD}
    assert table_counts(engine, SEEDED_TABLES) == before
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select count(*) from seed_runs")) == runs + 1
        assert connection.scalar(sa.text("select count(*) from seed_environment")) == 1
