"""upgrade seed@head, downgrade seed@-1, downgrade seed@base, upgrade again: the row counts,
the schema and alembic_version after each step."""

import sqlalchemy as sa

from terp.profiles import PROFILES
from tests.conftest import (
    SCHEMA_HEAD,
    SEED_HEAD,
    SEEDED_TABLES,
    Cli,
    InProcess,
    table_counts,
    versions,
)


def schema_snapshot(engine: sa.Engine) -> dict[str, object]:
    """Tables, columns, constraints and reference data: what the schema branch owns."""
    with engine.connect() as connection:
        columns = connection.execute(
            sa.text(
                "select table_name, column_name, data_type, is_nullable, column_default "
                "from information_schema.columns where table_schema = 'public' "
                "and table_name not in ('seed_ledger', 'alembic_version') order by 1, 2"
            )
        ).all()
        constraints = connection.execute(
            sa.text(
                "select conname, pg_get_constraintdef(oid) from pg_constraint "
                "where connamespace = 'public'::regnamespace and conname not like '%seed_ledger%' "
                "order by 1"
            )
        ).all()
        statuses = connection.execute(sa.text("table workflow_statuses order by id")).all()
    return {"columns": columns, "constraints": constraints, "statuses": statuses}


def test_upgrade_downgrade_upgrade(alembic: InProcess, engine: sa.Engine) -> None:
    alembic.upgrade("schema@head")
    schema_before = schema_snapshot(engine)
    assert versions(engine) == {SCHEMA_HEAD}
    assert set(table_counts(engine, SEEDED_TABLES).values()) == {0}

    alembic.upgrade("seed@head")
    seeded = table_counts(engine, SEEDED_TABLES)
    small = PROFILES["small"]
    assert seeded["users"] == small.users
    assert seeded["vendors"] == small.vendors
    assert seeded["brands"] == small.vendors * small.brands_per_vendor
    assert seeded["strains"] == small.strains
    assert seeded["products"] == small.products
    assert seeded["clients"] == small.clients
    assert seeded["orders"] == small.orders
    assert all(seeded[table] > 0 for table in SEEDED_TABLES)
    # seed_0001 depends_on schema_0002, so Alembic records only the seed head; the schema
    # head is implied (`alembic current` shows it as the effective head).
    assert versions(engine) == {SEED_HEAD}

    alembic.downgrade("seed@-1")
    after_one = table_counts(engine, SEEDED_TABLES)
    assert after_one == {**seeded, "inventory_movements": 0}
    assert versions(engine) == {"seed_0009"}

    alembic.downgrade("seed@base")
    assert set(table_counts(engine, SEEDED_TABLES).values()) == {0}
    assert versions(engine) == {SCHEMA_HEAD}
    assert schema_snapshot(engine) == schema_before
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select to_regclass('seed_ledger')")) is None

    alembic.upgrade("seed@head")
    assert table_counts(engine, SEEDED_TABLES) == seeded
    assert versions(engine) == {SEED_HEAD}


def test_cli_heads_and_the_two_branch_rule(cli: Cli, engine: sa.Engine) -> None:
    plain = cli("upgrade", "head")
    assert plain.returncode != 0
    assert "FAILED: Multiple head revisions" in plain.stderr

    result = cli("upgrade", "heads")
    assert result.returncode == 0, result.stderr
    assert versions(engine) == {SEED_HEAD}
    assert "rows per table" in result.stdout
    assert all(count > 0 for count in table_counts(engine, SEEDED_TABLES).values())

    current = cli("current")
    assert current.returncode == 0
    assert f"{SEED_HEAD} (head)" in current.stdout
    assert f"{SCHEMA_HEAD} (effective head)" in current.stdout
    down = cli("downgrade", "seed@base")
    assert down.returncode == 0, down.stderr
    assert versions(engine) == {SCHEMA_HEAD}
