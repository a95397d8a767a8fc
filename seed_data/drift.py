"""Schema drift preflight: before a seed revision writes anything, compare the live tables
with the `sa.table()` specs it writes, and list every mismatch. A seeder that met a
drifted schema half-way is how TERP's old start-up seeding took production down."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeEngine

from seed_data.errors import Refusal

# Type families a seeder's value must land in; the first that matches the spec decides.
_FAMILIES: tuple[type[TypeEngine[Any]], ...] = (
    sa.Boolean,
    sa.Integer,
    sa.Numeric,
    sa.DateTime,
    sa.Date,
    sa.JSON,
    sa.String,
)


class SchemaDrift(Refusal):
    def __init__(self, revision: str, problems: list[str]) -> None:
        super().__init__(
            f"seed revision(s) {revision} refused, schema drift: " + "; ".join(problems) + ". "
            "Nothing was written. The live tables do not match what this revision inserts: "
            "run `alembic upgrade schema@head`, or find who changed the table by hand."
        )


def _family(type_: TypeEngine[Any]) -> type[TypeEngine[Any]] | None:
    return next((family for family in _FAMILIES if isinstance(type_, family)), None)


def _compatible(expected: TypeEngine[Any], live: TypeEngine[Any]) -> bool:
    family = _family(expected)
    if family is None or not isinstance(live, family):
        return False
    if isinstance(expected, sa.DateTime) and isinstance(live, sa.DateTime):
        return bool(expected.timezone) == bool(live.timezone)
    return True


def check_tables(connection: sa.Connection, tables: Sequence[sa.TableClause]) -> list[str]:
    """Every problem the live schema has for these table specs (empty: none)."""
    inspector = sa.inspect(connection)
    problems: list[str] = []
    for table in tables:
        if not inspector.has_table(table.name):
            problems.append(f"table {table.name} is missing")
            continue
        live = {column["name"]: column for column in inspector.get_columns(table.name)}
        for column in table.columns:
            found = live.get(column.name)
            if found is None:
                problems.append(f"column {table.name}.{column.name} is missing")
            elif not _compatible(column.type, found["type"]):
                problems.append(
                    f"column {table.name}.{column.name} is {found['type']}, expected {column.type}"
                )
        written = {column.name for column in table.columns}
        for name, reflected in live.items():
            unfilled = reflected["default"] is None and not reflected.get("identity")
            if name not in written and not reflected["nullable"] and unfilled:
                problems.append(
                    f"column {table.name}.{name} is NOT NULL without a default, "
                    "and this revision does not fill it"
                )
    return problems
