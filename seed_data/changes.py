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
from seed_data.errors import DowngradeRefused
from seed_data.ledger import BOOKKEEPING_TABLES, Change


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


def apply(connection: sa.Connection, revision: str, pending: Pending) -> int:
    """Make the change and record it; returns the rows changed."""
    seeded = ledger.seeded_ids(connection, pending.table).as_multirange()
    rows = connection.execute(
        sa.text(
            f"select c.* from ({pending.query}) c(id, value) "
            "where c.id <@ cast(:seeded as int8multirange) order by c.id"
        ),
        {**pending.params, "seeded": seeded},
    ).all()
    if not rows:
        return 0
    table, column = _quote(connection, pending.table), _quote(connection, pending.column)
    ids = [int(row_id) for row_id, _ in rows]
    _lock(connection, table, ids)
    if pending.kind == "add":
        amounts = [value for _, value in rows]
        connection.execute(
            sa.text(
                f"update {table} t set {column} = t.{column} + d.amount "
                "from unnest(cast(:ids as bigint[]), cast(:amounts as numeric[])) "
                "d(id, amount) where t.id = d.id"
            ),
            {"ids": ids, "amounts": amounts},
        )
        change = Change(pending.table, pending.column, "add", ids, amounts=amounts)
    else:
        kind = _column_type(connection, pending.table, pending.column)
        new = [None if value is None else str(value) for _, value in rows]
        old = connection.execute(
            sa.text(
                f"select t.{column}::text from unnest(cast(:ids as bigint[])) "
                f"with ordinality d(id, n) join {table} t on t.id = d.id order by d.n"
            ),
            {"ids": ids},
        ).scalars()
        old_values = list(old)
        connection.execute(
            sa.text(
                f"update {table} t set {column} = cast(d.value as {kind}) "
                "from unnest(cast(:ids as bigint[]), cast(:values as text[])) d(id, value) "
                "where t.id = d.id"
            ),
            {"ids": ids, "values": new},
        )
        change = Change(
            pending.table, pending.column, "set", ids, old_values=old_values, new_values=new
        )
    ledger.record_change(connection, revision, change)
    return len(ids)


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
