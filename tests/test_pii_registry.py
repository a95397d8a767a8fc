"""The registry agrees with the schema, and docs/pii-inventory.md with the registry."""

import sqlalchemy as sa

from seed_data.pii import inventory
from seed_data.pii.masking import COLLISION_FREE_KINDS, DESCRIPTIONS, Strategy
from seed_data.pii.registry import Kind
from seed_data.pii.shapes import CHECKS
from terp.fakes import GENERATED
from terp.pii import PII_COLUMNS as REGISTRY
from terp.project import PROJECT
from tests.conftest import PROJECT_ROOT, InProcess

BY_NAME = PROJECT.pii_by_name

INVENTORY = PROJECT_ROOT / "docs" / "pii-inventory.md"


def test_inventory_is_up_to_date() -> None:
    assert INVENTORY.read_text() == inventory.render(), (
        f"docs/pii-inventory.md is stale: run `{inventory.COMMAND}`"
    )


def test_every_kind_is_described_everywhere() -> None:
    for kind in Kind:
        assert GENERATED[kind] and CHECKS[kind]
        assert all(DESCRIPTIONS[kind, strategy] for strategy in Strategy)
    assert len(BY_NAME) == len(REGISTRY)  # each column declared once


def test_unique_columns_have_collision_free_fakes() -> None:
    for column in REGISTRY:
        if column.unique:
            assert column.kind in COLLISION_FREE_KINDS, column.name


def test_registry_matches_the_schema(alembic: InProcess, engine: sa.Engine) -> None:
    alembic.upgrade("schema@head")
    inspector = sa.inspect(engine)
    for column in REGISTRY:
        live = {c["name"]: c for c in inspector.get_columns(column.table)}
        assert column.column in live, f"{column.name} is registered but not in the schema"
        assert isinstance(live[column.column]["type"], sa.String), column.name
        unique = {
            tuple(constraint["column_names"])
            for constraint in inspector.get_unique_constraints(column.table)
        }
        assert column.unique == ((column.column,) in unique), column.name
    notes = {
        (table, "notes")
        for table in inspector.get_table_names()
        if any(c["name"] == "notes" for c in inspector.get_columns(table))
    }
    assert notes and notes <= set(BY_NAME), "every notes column must be registered"
