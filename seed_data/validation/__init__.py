"""Integrity validation: the app's rules (its project's; TERP's are in terp/rules/), each
one SQL query over the tables (never over the generator), so it checks any database of
the app, seeded or not.

`validate` runs the rules and reports what they find. `enforce` runs, inside a seed
revision's transaction, the rules that read a table the revision wrote and no table the
seed branch has yet to write (a cross-table rule is checked by the revision that completes
it: invoice balances with the payments, batch stock with the movements); any violation
raises SeedIntegrityError and the revision is rolled back.

The rules a seed revision enforces see only the rows seeding wrote (`Scope`): each table a
rule reads is shadowed by a (materialized) common table expression of the same name holding
the ledger's rows of that table, fetched by primary-key ranges. So the app's own rows are
never judged, and the cost grows with the rows seeded, not with the tables. A table that
holds nothing but seeded rows (found with an index probe of the gaps between the ledger's
ranges) is read as it is. `validate --seeded-only` uses the same scope.
"""

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from seed_data import ledger, project
from seed_data.errors import SeedIntegrityError
from seed_data.validation.model import Rule, Violation

__all__ = [
    "MAX_LISTED_RANGES",
    "Rule",
    "Scope",
    "Violation",
    "enforce",
    "existing_tables",
    "rules",
    "validate",
]


def rules() -> Sequence[Rule]:
    """Every rule of the project, in its order."""
    return project.current().rules


_EXISTING = sa.text(
    "select relname from pg_class where relkind in ('r', 'p') and relname = any(:names) "
    "and pg_table_is_visible(oid)"
)


def existing_tables(connection: sa.Connection, names: Iterable[str]) -> set[str]:
    return set(connection.scalars(_EXISTING, {"names": sorted(set(names))}))


@dataclass
class Scope:
    """The seeded rows of each table (int8multirange literals), and the tables that hold
    other rows too: only those are shadowed."""

    ranges: dict[str, str]
    mixed: set[str] = field(default_factory=set)
    schema: str = "public"

    @classmethod
    def of_ledger(cls, connection: sa.Connection) -> "Scope":
        """The ledger's rows per table. Where the app's rows share a table, the planner's
        guesses about the scoped queries are wild, and with JIT on they cost a second of
        compiling for a millisecond of work: JIT is off for the rest of the transaction."""
        ranges = ledger.ranges_by_table(connection)
        schema = str(connection.scalar(sa.text("select current_schema()")))
        scope = cls(ranges, schema=schema)
        quote = connection.dialect.identifier_preparer.quote
        for table, table_ranges in ranges.items():
            others = connection.scalar(
                sa.text(_HAS_OTHER_ROWS.format(table=f"{quote(schema)}.{quote(table)}")),
                {"ranges": table_ranges},
            )
            if others:
                scope.mixed.add(table)
        if scope.mixed:
            connection.execute(sa.text("set local jit = off"))
        return scope

    def query(self, rule: Rule, quote: Callable[[str], str]) -> tuple[str, dict[str, Any]]:
        shadowed = sorted(table for table in rule.reads if table in self.mixed)
        if not shadowed:
            return rule.query, {}
        ctes, params = [], {}
        for table in shadowed:
            where, bounds = _within(self.ranges[table], table)
            ctes.append(
                f"{quote(table)} as materialized "
                f"(select x.* from {quote(self.schema)}.{quote(table)} x where {where})"
            )
            params.update(bounds)
        return f"with {', '.join(ctes)} {rule.query}", params


# A seeded table's ranges, as the condition that fetches its rows by index. Each range is a
# pair of bounds the planner sees, so it estimates the rows from the table's statistics:
# joined with unnest() (estimated at 100 ranges) it guessed a hundred times too many, and
# with the app's xl rows beside a large seed it chose a nested loop over two shadowed
# tables (batch_before_order: 17.5 s against 0.04 s). Past MAX_LISTED_RANGES (a ledger
# rarely holds more than a few per table) the ranges are joined as before.
MAX_LISTED_RANGES = 32
_RANGE = re.compile(r"\[(-?\d+),(-?\d+)\)")


def _within(multirange: str, table: str) -> tuple[str, dict[str, Any]]:
    bounds = [(int(low), int(high)) for low, high in _RANGE.findall(multirange)]
    if not bounds:
        return "false", {}
    if len(bounds) > MAX_LISTED_RANGES:
        return (
            f"exists (select 1 from unnest(cast(:scope_{table} as int8multirange)) r "
            "where x.id >= lower(r) and x.id < upper(r))"
        ), {f"scope_{table}": multirange}
    conditions, params = [], {}
    for number, (low, high) in enumerate(bounds):
        conditions.append(f"(x.id >= :{table}_from_{number} and x.id < :{table}_to_{number})")
        params[f"{table}_from_{number}"], params[f"{table}_to_{number}"] = low, high
    return " or ".join(conditions), params


# Any row outside the ledger's ranges: one index probe per gap between them.
_HAS_OTHER_ROWS = (
    "select exists (select 1 from {table} x join unnest("
    "cast('{{(,)}}' as int8multirange) - cast(:ranges as int8multirange)) g "
    "on x.id >= coalesce(lower(g), -9223372036854775808) "
    "and x.id < coalesce(upper(g), 9223372036854775807))"
)


def check(connection: sa.Connection, rule: Rule, scope: Scope | None = None) -> Violation | None:
    query, params = (
        scope.query(rule, connection.dialect.identifier_preparer.quote)
        if scope is not None
        else (rule.query, {})
    )
    count, example = connection.execute(
        sa.text(f"select count(*), min(id) from ({query}) violations"), params
    ).one()
    if not count:
        return None
    return Violation(rule.name, rule.table, int(count), int(example), rule.meaning)


def validate(
    connection: sa.Connection, tables: Collection[str] | None = None, seeded_only: bool = False
) -> list[Violation]:
    """Violations of every rule (or of the rules reading any of `tables`); rules whose
    tables do not exist are skipped (see `applicable`). `seeded_only`: judge only the rows
    seeding wrote, with the rules whose tables seeding wrote."""
    rules = applicable(connection, tables)
    scope = None
    if seeded_only:
        scope = Scope.of_ledger(connection) if ledger.exists(connection) else Scope({})
        rules = [
            rule for rule in rules if rule.reads <= set(scope.ranges) and not rule.whole_database
        ]
    return [
        violation for rule in rules if (violation := check(connection, rule, scope)) is not None
    ]


def applicable(connection: sa.Connection, tables: Collection[str] | None = None) -> list[Rule]:
    chosen = [rule for rule in rules() if tables is None or rule.reads & set(tables)]
    present = existing_tables(connection, (t for rule in chosen for t in rule.reads))
    return [rule for rule in chosen if rule.reads <= present]


def enforce(connection: sa.Connection, inserted: Collection[str], revision: str) -> None:
    """Run in a seed revision after its inserts; raise if its rows break a rule."""
    written = [table for table in inserted if table]
    if not written:
        return
    quote = connection.dialect.identifier_preparer.quote
    scope = Scope.of_ledger(connection)
    # A table filled from empty has no statistics yet, and without them the checks may plan
    # badly. A table that also holds the app's rows has them (and is read through its
    # seeded rows alone): analysing it would cost time that grows with the app's rows.
    fresh = [table for table in written if table not in scope.mixed]
    if fresh:
        connection.execute(sa.text("analyze " + ", ".join(quote(table) for table in fresh)))
    violations = [
        violation
        for rule in rules()
        if rule.reads & set(written) and rule.reads <= set(scope.ranges) and not rule.whole_database
        if (violation := check(connection, rule, scope)) is not None
    ]
    if violations:
        others = ", ".join(v.rule for v in violations[1:])
        more = f" (also broken: {others})" if others else ""
        raise SeedIntegrityError(
            f"{revision} rolled back, nothing of it was committed: {violations[0]}{more}"
        )
