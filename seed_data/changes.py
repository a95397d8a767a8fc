"""A revision may change rows an earlier revision inserted (derived columns: a client's
totals once its orders exist, an order's invoice once invoices exist), as long as the
ledger records the change so that the downgrade undoes exactly the seed's part:

- `add`: a number added to a column. The ledger keeps the amounts; the downgrade subtracts
  them, so whatever the app added in between stays.
- `set`: a column given a value. The ledger keeps the old and the new value; the downgrade
  puts the old one back where the column still holds the seed's.

The rows to change and the values come from a query the revision gives, evaluated in its
own transaction after its inserts, so a derived column is computed from its definition.
Only rows seeding inserted are changed: rows of the app are filtered out by the ledger's
id ranges. The changes are applied last, in id order, so that their row locks are held
for the shortest time and two writers lock rows in one order."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from seed_data import ledger
from seed_data.errors import DowngradeRefused, SeedError
from seed_data.ledger import BOOKKEEPING_TABLES


@dataclass(frozen=True)
class Pending:
    """A change a revision asked for: `query` returns (row id, amount or value)."""

    kind: str  # "add" or "set"
    table: str
    column: str
    query: str
    params: dict[str, Any]


def _quote(connection: sa.Connection, name: str) -> str:
    return str(connection.dialect.identifier_preparer.quote(name))


def _column_type(connection: sa.Connection, table: str, column: str) -> str:
    return str(
        connection.scalar(
            sa.text(
                "select format_type(atttypid, atttypmod) from pg_attribute "
                "where attrelid = to_regclass(:table) and attname = :column "
                "and not attisdropped"
            ),
            {"table": table, "column": column},
        )
    )


def _lock(connection: sa.Connection, table: str, ids: list[int]) -> None:
    """Row locks in id order: a writer that also locks in id order never deadlocks."""
    connection.execute(
        sa.text(f"select 1 from {table} where id = any(:ids) order by id for update"),
        {"ids": ids},
    )


# One statement per change, so the ids and values never travel through Python (at xl,
# setting orders.invoice_id for 159,400 orders took 3.5 s that way, 1.7 s of it in
# Python). Every part sees the rows as they were before the update: `locked` takes the
# row locks in id order and reads the old values, `updated` writes the new ones, and the
# ledger row gets the ids with the amounts, or with the old and new values, in id order.
_APPLY = {
    "add": """
        with locked as materialized (
            select t.id, c.value::numeric as amount
            from ({query}) c(id, value) join {table} t on t.id = c.id
            where c.id <@ cast(:seeded as int8multirange)
            order by t.id for update of t
        ),
        updated as (
            update {table} t set {column} = t.{column} + l.amount
            from locked l where t.id = l.id returning t.id
        ),
        recorded as (
            insert into seed_ledger_changes (revision, table_name, column_name, kind, row_ids,
                amounts)
            select :revision, :table_name, :column_name, 'add', array_agg(id order by id),
                array_agg(amount order by id)
            from locked having count(*) > 0
        )
        select count(*) from updated
    """,
    "set": """
        with locked as materialized (
            select t.id, t.{column}::text as old, c.value::text as new
            from ({query}) c(id, value) join {table} t on t.id = c.id
            where c.id <@ cast(:seeded as int8multirange)
            order by t.id for update of t
        ),
        updated as (
            update {table} t set {column} = cast(l.new as {kind})
            from locked l where t.id = l.id returning t.id
        ),
        recorded as (
            insert into seed_ledger_changes (revision, table_name, column_name, kind, row_ids,
                old_values, new_values)
            select :revision, :table_name, :column_name, 'set', array_agg(id order by id),
                array_agg(old order by id), array_agg(new order by id)
            from locked having count(*) > 0
        )
        select count(*) from updated
    """,
}


_RESERVED = frozenset({"seeded", "revision", "table_name", "column_name"})


def apply(connection: sa.Connection, revision: str, pending: Pending) -> int:
    """Make the change and record it; returns the rows changed."""
    if clash := sorted(_RESERVED & set(pending.params)):
        raise SeedError(
            f"{revision}: the query of the change to {pending.table}.{pending.column} names "
            f"parameters {clash}, which the change uses itself; rename them"
        )
    ledger.ensure_changes_table(connection)
    seeded = ledger.seeded_ids(connection, pending.table).as_multirange()
    statement = _APPLY[pending.kind].format(
        query=pending.query,
        table=_quote(connection, pending.table),
        column=_quote(connection, pending.column),
        kind=_column_type(connection, pending.table, pending.column)
        if pending.kind == "set"
        else "",
    )
    changed = connection.scalar(
        sa.text(statement),
        {
            **pending.params,
            "seeded": seeded,
            "revision": revision,
            "table_name": pending.table,
            "column_name": pending.column,
        },
    )
    return int(changed or 0)


def undo(connection: sa.Connection, revision: str) -> dict[str, int]:
    """Undo the revision's changes, the last first; returns rows changed per table."""
    undone: dict[str, int] = {}
    for change in ledger.changes(connection, revision):
        if change.table in BOOKKEEPING_TABLES:  # a ledger row made by hand
            raise DowngradeRefused(
                f"refusing to undo {revision}: seed_ledger_changes names {change.table}, one "
                "of the seeding system's own tables; remove that row. Nothing was changed."
            )
        table, column = _quote(connection, change.table), _quote(connection, change.column)
        _lock(connection, table, change.row_ids)
        if change.kind == "add":
            result = connection.execute(
                sa.text(
                    f"update {table} t set {column} = t.{column} - d.amount "
                    "from unnest(cast(:ids as bigint[]), cast(:amounts as numeric[])) "
                    "d(id, amount) where t.id = d.id"
                ),
                {"ids": change.row_ids, "amounts": change.amounts},
            )
        else:
            kind = _column_type(connection, change.table, change.column)
            result = connection.execute(
                sa.text(
                    f"update {table} t set {column} = cast(d.old as {kind}) "
                    "from unnest(cast(:ids as bigint[]), cast(:old as text[]), "
                    "cast(:new as text[])) d(id, old, new) "
                    f"where t.id = d.id and t.{column} is not distinct from cast(d.new as {kind})"
                ),
                {"ids": change.row_ids, "old": change.old_values, "new": change.new_values},
            )
        undone[change.table] = undone.get(change.table, 0) + result.rowcount
    ledger.forget_changes(connection, revision)
    return undone


def redo(connection: sa.Connection, revision: str, restored: dict[str, str]) -> None:
    """Make the revision's recorded changes again (a restore): the amounts added back, the
    values set back where the column still holds the old one. Rows of `restored` (an
    int8multirange per table) came back from a backup with the changes already in them."""
    for change in reversed(ledger.changes(connection, revision)):  # as first made
        table, column = _quote(connection, change.table), _quote(connection, change.column)
        outside = {"restored": restored.get(change.table, "{}")}
        if change.kind == "add":
            connection.execute(
                sa.text(
                    f"update {table} t set {column} = t.{column} + d.amount "
                    "from unnest(cast(:ids as bigint[]), cast(:amounts as numeric[])) "
                    "d(id, amount) where t.id = d.id "
                    "and not t.id <@ cast(:restored as int8multirange)"
                ),
                {"ids": change.row_ids, "amounts": change.amounts, **outside},
            )
        else:
            kind = _column_type(connection, change.table, change.column)
            connection.execute(
                sa.text(
                    f"update {table} t set {column} = cast(d.new as {kind}) "
                    "from unnest(cast(:ids as bigint[]), cast(:old as text[]), "
                    "cast(:new as text[])) d(id, old, new) where t.id = d.id "
                    f"and t.{column} is not distinct from cast(d.old as {kind}) "
                    "and not t.id <@ cast(:restored as int8multirange)"
                ),
                {
                    "ids": change.row_ids,
                    "old": change.old_values,
                    "new": change.new_values,
                    **outside,
                },
            )
