"""Which columns point at which tables. Real FK constraints are read from the live
catalog (so a table the app adds later is covered too); the app's logical-only links,
which no constraint enforces, come from its project (seed_data.project) and are used by
rollback and validation."""

from dataclasses import dataclass

import sqlalchemy as sa

from seed_data import project


@dataclass(frozen=True)
class Reference:
    child_table: str
    column: str
    parent_table: str
    condition: str | None = None  # SQL on the child row, for polymorphic references


_FOREIGN_KEYS_TO = sa.text(
    """
    select child.relname, att.attname
    from pg_constraint con
    join pg_class child on child.oid = con.conrelid
    join pg_attribute att on att.attrelid = con.conrelid and att.attnum = con.conkey[1]
    where con.contype = 'f'
      and cardinality(con.conkey) = 1
      and con.confrelid = cast(:table as regclass)
    order by 1, 2
    """
)

_EXISTING_TABLES = sa.text(
    "select relname from pg_class "
    "where relkind in ('r', 'p') and relname = any(:names) and pg_table_is_visible(oid)"
)


def references_to(connection: sa.Connection, table: str) -> list[Reference]:
    """Every column that points at `table`: real FKs, then logical links whose table exists."""
    found = [
        Reference(child, column, table)
        for child, column in connection.execute(_FOREIGN_KEYS_TO, {"table": table})
    ]
    logical = [ref for ref in project.current().logical_references if ref.parent_table == table]
    names = [ref.child_table for ref in logical]
    existing = set(connection.scalars(_EXISTING_TABLES, {"names": names}))
    seen = {(ref.child_table, ref.column) for ref in found}
    found += [
        ref
        for ref in logical
        if ref.child_table in existing and (ref.child_table, ref.column) not in seen
    ]
    return found
