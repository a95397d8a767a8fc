"""Undo seed revisions: delete exactly the rows their ledger lists, children first, and
nothing else. Before deleting anything, look for rows made outside the revisions being
undone that point at their rows (through a real FK, a cascading FK or a logical-only
link); if any exist, refuse and delete nothing, because a cascade or a dangling link
would quietly damage data that seeding does not own."""

from collections.abc import Collection, Sequence

import sqlalchemy as sa

from seed_data import ledger
from seed_data.errors import DowngradeRefused
from seed_data.ledger import BOOKKEEPING_TABLES, Change
from seed_data.references import Reference, references_to

_RANGES_BY_TABLE = sa.text(
    "select table_name, range_agg(r)::text from seed_ledger cross join unnest(id_ranges) r "
    "where revision = any(:revisions) group by table_name"
)


def _count_outside_references(
    connection: sa.Connection,
    reference: Reference,
    parent_ranges: str,
    child_ranges: str | None,
    set_by_seed: Change | None = None,
) -> int:
    quote = connection.dialect.identifier_preparer.quote
    conditions = [f"c.{quote(reference.column)} <@ cast(:parent_ranges as int8multirange)"]
    if set_by_seed is not None:
        # the link was set by a revision being undone, which puts the old value back
        conditions.append(
            "not exists (select 1 from unnest(cast(:set_ids as bigint[]), "
            "cast(:set_values as text[])) s(id, value) "
            f"where s.id = c.id and s.value = c.{quote(reference.column)}::text)"
        )
    if reference.condition:
        conditions.append(f"({reference.condition})")
    if child_ranges is not None:
        # the child's own rows that are being undone too do not count
        conditions.append("not (c.id <@ cast(:child_ranges as int8multirange))")
    query = f"select count(*) from {quote(reference.child_table)} c where " + " and ".join(
        conditions
    )
    params: dict[str, object] = {"parent_ranges": parent_ranges, "child_ranges": child_ranges}
    if set_by_seed is not None:
        params |= {"set_ids": set_by_seed.row_ids, "set_values": set_by_seed.new_values}
    return int(connection.scalar(sa.text(query), params) or 0)


def find_blockers(connection: sa.Connection, revisions: Sequence[str]) -> list[str]:
    """Rows outside `revisions` that reference rows those revisions inserted."""
    ranges: dict[str, str] = {
        table: table_ranges
        for table, table_ranges in connection.execute(
            _RANGES_BY_TABLE, {"revisions": list(revisions)}
        )
    }
    links_set = {
        (change.table, change.column): change
        for revision in revisions
        for change in ledger.changes(connection, revision)
        if change.kind == "set"
    }
    blockers = []
    for table, parent_ranges in ranges.items():
        for reference in references_to(connection, table):
            count = _count_outside_references(
                connection,
                reference,
                parent_ranges,
                ranges.get(reference.child_table),
                links_set.get((reference.child_table, reference.column)),
            )
            if count:
                blockers.append(
                    f"{count} row(s) of {reference.child_table} (column {reference.column}) "
                    f"reference seeded {table}"
                )
    return blockers


def refuse_if_referenced(connection: sa.Connection, revisions: Sequence[str]) -> None:
    blockers = find_blockers(connection, revisions)
    if blockers:
        raise DowngradeRefused(
            f"refusing to undo seed revision(s) {', '.join(revisions)}: "
            + "; ".join(blockers)
            + ". Those rows were not made by seeding: delete them or point them elsewhere, "
            "then downgrade again. Nothing was deleted."
        )


def refuse_foreign_tables(
    connection: sa.Connection, revision: str, declared: Collection[str]
) -> None:
    """The ledger is data like any other: a row added by hand could name any table. A
    downgrade deletes only from the tables its seeder declares, and never from the
    seeding system's own bookkeeping."""
    named = [entry.table for entry in ledger.entries(connection, revision)]
    foreign = [table for table in named if table not in declared or table in BOOKKEEPING_TABLES]
    if foreign:
        writes = ", ".join(sorted(declared)) or "no table"
        raise DowngradeRefused(
            f"refusing to undo {revision}: seed_ledger lists rows of {', '.join(foreign)}, "
            f"which {revision} does not write (it writes {writes}). "
            "The ledger was changed by hand: remove those ledger rows, then downgrade again. "
            "Nothing was deleted."
        )


def undo_revision(
    connection: sa.Connection, revision: str, declared: Collection[str]
) -> dict[str, int]:
    """Delete the revision's rows, children first; return rows deleted per table.
    `declared`: the tables the revision's seeder writes."""
    refuse_foreign_tables(connection, revision, declared)
    refuse_if_referenced(connection, [revision])
    quote = connection.dialect.identifier_preparer.quote
    deleted: dict[str, int] = {}
    for entry in ledger.entries(connection, revision):
        result = connection.execute(
            sa.text(
                f"delete from {quote(entry.table)} t using "
                "(select lower(r) as lo, upper(r) as hi "
                " from unnest(cast(:ranges as int8multirange)) r) b "
                "where t.id >= b.lo and t.id < b.hi"
            ),
            {"ranges": entry.id_ranges},
        )
        deleted[entry.table] = result.rowcount
    ledger.forget(connection, revision)
    return deleted
