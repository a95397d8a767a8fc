"""Integrity validation: TERP's logical references, the keys the database does not
enforce, and TERP's business rules (docs/data-model.md), each one SQL query over the tables
(never over the generator), so it checks any TERP database, seeded or not.

`validate` runs the rules and reports what they find. `enforce` runs, inside a seed
revision's transaction, the rules that read a table the revision wrote and no table the
seed branch has yet to write (a cross-table rule is checked by the revision that completes
it: invoice balances with the payments, batch stock with the movements); any violation
raises SeedIntegrityError and the revision is rolled back.
"""

from collections.abc import Collection, Iterable

import sqlalchemy as sa

from seed_data.errors import SeedIntegrityError
from seed_data.validation import amounts, dates, keys, references, stock
from seed_data.validation.model import Rule, Violation

RULES: tuple[Rule, ...] = (
    *references.RULES,
    *keys.RULES,
    *amounts.RULES,
    *stock.RULES,
    *dates.RULES,
)

__all__ = ["RULES", "Rule", "Violation", "enforce", "existing_tables", "validate"]

_EXISTING = sa.text(
    "select relname from pg_class where relkind in ('r', 'p') and relname = any(:names) "
    "and pg_table_is_visible(oid)"
)
_SEEDED = sa.text("select distinct table_name from seed_ledger")


def existing_tables(connection: sa.Connection, names: Iterable[str]) -> set[str]:
    return set(connection.scalars(_EXISTING, {"names": sorted(set(names))}))


def check(connection: sa.Connection, rule: Rule) -> Violation | None:
    count, example = connection.execute(
        sa.text(f"select count(*), min(id) from ({rule.query}) violations")
    ).one()
    if not count:
        return None
    return Violation(rule.name, rule.table, int(count), int(example), rule.meaning)


def validate(connection: sa.Connection, tables: Collection[str] | None = None) -> list[Violation]:
    """Violations of every rule (or of the rules reading any of `tables`); rules whose
    tables do not exist are skipped (see `applicable`)."""
    return [
        violation
        for rule in applicable(connection, tables)
        if (violation := check(connection, rule)) is not None
    ]


def applicable(connection: sa.Connection, tables: Collection[str] | None = None) -> list[Rule]:
    chosen = [rule for rule in RULES if tables is None or rule.reads & set(tables)]
    present = existing_tables(connection, (t for rule in chosen for t in rule.reads))
    return [rule for rule in chosen if rule.reads <= present]


def enforce(connection: sa.Connection, inserted: Collection[str], revision: str) -> None:
    """Run in a seed revision after its inserts; raise if its rows break a rule."""
    written = [table for table in inserted if table]
    if not written:
        return
    quote = connection.dialect.identifier_preparer.quote
    # fresh rows have no statistics yet; without them the checks may plan badly
    connection.execute(sa.text("analyze " + ", ".join(quote(table) for table in written)))
    seeded = set(connection.scalars(_SEEDED))
    violations = [
        violation
        for rule in RULES
        if rule.reads & set(written) and rule.reads <= seeded
        if (violation := check(connection, rule)) is not None
    ]
    if violations:
        others = ", ".join(v.rule for v in violations[1:])
        more = f" (also broken: {others})" if others else ""
        raise SeedIntegrityError(
            f"{revision} rolled back, nothing of it was committed: {violations[0]}{more}"
        )
