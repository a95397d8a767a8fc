"""The two calls a seed revision makes: `upgrade(revision, generate)` and
`downgrade(revision)`. Everything else (random stream, ids, COPY, ledger, report) is here,
so a revision file stays a short, readable pair."""

import gc
import keyword
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol

import sqlalchemy as sa
from alembic import op
from faker import Faker

from seed_data import (
    changes,
    deferred_checks,
    drift,
    environment,
    ledger,
    output,
    project,
    rollback,
    validation,
)
from seed_data.bulk import copy_rows
from seed_data.errors import SeedError, SeedIntegrityError
from seed_data.ids import IdBlock, allocate_ids
from seed_data.pii import guard
from seed_data.progress import tracked
from seed_data.project import Profile
from seed_data.randomness import faker_for, stream_for
from seed_data.run import ATTRIBUTE, RevisionReport, SeedRun
from seed_data.settings import Settings
from seed_data.uniques import TakenCodes, TakenValues

Row = Sequence[Any]


def row_builder(table: sa.TableClause) -> Callable[..., tuple[Any, ...]]:
    """A builder of `table`'s rows by keyword: `ORDERS_ROW(id=..., packed_by=...,
    shipped_by=...)` puts each value in the column its name says, so two columns of one
    type cannot trade places unseen (a tuple built by position would pass both the drift
    check and COPY), and a column left out is an error, not a NULL. It returns a plain
    tuple in the spec's column order: a named tuple's class costs 0.5 µs a row more, most
    of a second at two million rows."""
    names = [column.name for column in table.columns]
    bad = [name for name in names if not name.isidentifier() or keyword.iskeyword(name)]
    if bad or len(set(names)) != len(names):
        raise SeedError(f"{table.name}: columns {bad or names} cannot be keyword arguments")
    fields = ", ".join(names)
    namespace: dict[str, Any] = {}
    exec(f"def build(*, {fields}):\n    return ({fields},)\n", namespace)
    build: Callable[..., tuple[Any, ...]] = namespace["build"]
    build.__qualname__ = build.__name__ = f"{table.name}_row"
    return build


@dataclass
class SeedContext:
    """What a generator gets: the revision's random stream, Faker on that stream, the
    profile, and `insert` to stream rows into a table."""

    connection: sa.Connection
    revision: str
    settings: Settings
    rng: random.Random
    faker: Faker
    inserted: dict[str, int] = field(default_factory=dict)
    own: dict[str, IdBlock] = field(default_factory=dict)  # ids this revision inserted
    pending: list[changes.Pending] = field(default_factory=list)  # applied at the end
    changed: dict[str, int] = field(default_factory=dict)  # rows changed per table.column
    seconds: dict[str, float] = field(default_factory=dict)  # per table: ids, rows, ledger
    defer_checks: bool = True  # keys and indexes after loads into empty tables

    @property
    def profile(self) -> Profile:
        return self.settings.profile

    def insert(
        self,
        table: sa.TableClause,
        count: int,
        make_rows: Callable[[IdBlock], Iterable[Row]],
    ) -> IdBlock:
        """Allocate `count` ids of `table`, COPY the rows `make_rows(ids)` yields (one value
        per column of `table`, `id` first), and record the ids in the ledger."""
        started = time.perf_counter()
        columns = [column.name for column in table.columns]
        if columns[:1] != ["id"]:
            raise SeedError(f"{self.revision}: the spec of {table.name} must start with id")
        ids = allocate_ids(self.connection, table.name, count)
        rows = guard.checked_rows(self.revision, table.name, columns, make_rows(ids))
        rows = tracked(rows, f"{self.revision} {table.name}", count)
        with deferred_checks.checked_after_load(
            self.connection, table.name, enabled=self.defer_checks
        ):
            written = copy_rows(self.connection, table.name, columns, rows)
        if written != count:
            raise SeedIntegrityError(
                f"{self.revision}: the {table.name} generator yielded {written} rows "
                f"for {count} ids"
            )
        if count:
            ledger.record(
                self.connection,
                revision=self.revision,
                table=table.name,
                ids=ids,
                profile=self.profile.name,
                random_seed=self.settings.random_seed,
            )
        self.inserted[table.name] = self.inserted.get(table.name, 0) + count
        known = self.own.get(table.name)
        self.own[table.name] = ids if known is None else IdBlock([*known.ranges, *ids.ranges])
        elapsed = time.perf_counter() - started
        self.seconds[table.name] = self.seconds.get(table.name, 0.0) + elapsed
        return ids

    def seeded_ids(self, table: str) -> IdBlock:
        """Ids of `table` inserted by earlier seed revisions (for references)."""
        return ledger.seeded_ids(self.connection, table)

    def own_ids(self, table: str) -> str:
        """The ids this revision inserted into `table`, as an int8multirange literal (for a
        change's query: `where id <@ cast(:mine as int8multirange)`)."""
        block = self.own.get(table)
        return block.as_multirange() if block is not None else "{}"

    def add(self, table: str, column: str, query: str, **params: Any) -> None:
        """At the end of the revision, add to `table.column` of rows seeding inserted the
        amounts `query` returns as (id, amount); the downgrade subtracts them."""
        self.pending.append(changes.Pending("add", table, column, query, params))

    def set(self, table: str, column: str, query: str, **params: Any) -> None:
        """At the end of the revision, set `table.column` of rows seeding inserted to the
        values `query` returns as (id, value); the downgrade puts the old value back."""
        self.pending.append(changes.Pending("set", table, column, query, params))

    def codes(self, table: str, column: str, prefix: str, width: int) -> Callable[[int], str]:
        """Numbered codes (TERP's LOT-00001) for `table.column`: n -> the n-th `<prefix><number>` no
        row holds yet ("LOT-00001" when nothing is taken), so the app's codes are skipped."""
        taken = TakenCodes.load(self.connection, table, column, prefix)

        def code(number: int) -> str:
            return f"{prefix}{taken.nth_free(number):0{width}d}"

        return code

    def taken(self, table: str, column: str, like: str = "%") -> TakenValues:
        """The values of `table.column` (those LIKE `like`) rows already hold: `free()`
        gives a candidate, or its first variant nobody holds."""
        return TakenValues.load(self.connection, table, column, like)


def current_run() -> SeedRun:
    """The invocation's run. Alembic calls a revision's upgrade() with no arguments, so
    env.py leaves the run where a revision can reach it: in the Alembic config's
    `attributes` (the one place Alembic offers for this), under run.ATTRIBUTE."""
    context = op.get_context()
    run = context.config.attributes.get(ATTRIBUTE) if context.config else None
    if not isinstance(run, SeedRun):
        raise SeedError(
            "seed revisions run only through this project's migrations/env.py "
            "(alembic -c alembic.ini ...)"
        )
    return run


class Seeder(Protocol):
    """A generator module: the tables it writes (`sa.table()` specs, id first), and
    `generate`, which writes them."""

    @property
    def TABLES(self) -> Sequence[sa.TableClause]: ...

    def generate(self, context: SeedContext) -> None: ...


@dataclass(frozen=True)
class InlineSeeder:
    """A seeder written in the revision file itself (what `alembic revision` generates)."""

    TABLES: Sequence[sa.TableClause]
    generate: Callable[[SeedContext], None]
    # rows each profile gives, per table (measured; the app's catalogue may list them)
    ROWS: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def is_seeder(value: object) -> bool:
    tables = getattr(value, "TABLES", None)
    return (
        callable(getattr(value, "generate", None))
        and isinstance(tables, list | tuple)
        and all(isinstance(table, sa.TableClause) for table in tables)
    )


def seeders_of(revision_module: ModuleType) -> list[Seeder]:
    """The seeders a revision file holds, found by what they are (a `TABLES` of table
    specs and a `generate`), whatever name the file gives them."""
    candidates = [revision_module, *vars(revision_module).values()]
    found: list[Seeder] = []
    for candidate in candidates:
        if is_seeder(candidate) and not any(candidate is seen for seen in found):
            found.append(candidate)
    return found


def prepare(settings: Settings, revision_modules: Iterable[ModuleType]) -> None:
    """Hand the app the seeders an upgrade will call (Project.prepare), before the first
    of them runs."""
    hook = project.current().prepare
    seeders = [seeder for module in revision_modules for seeder in seeders_of(module)]
    if hook is not None and seeders:
        hook(settings.profile, settings.random_seed, seeders)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Generators allocate millions of short-lived tuples and make no reference cycles:
    reference counting frees them all, and the cyclic collector's passes over them only
    cost time (10 % of the generation time at the large profile, same peak memory)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def upgrade(revision: str, seeder: Seeder) -> None:
    run = current_run()
    started = time.perf_counter()
    connection = op.get_bind()
    # The preflight checked the gate for the whole plan; checked again where rows are
    # written, in case a revision reaches here by another road.
    environment.require_permission(connection, run.settings, "seed")
    problems = drift.check_tables(connection, seeder.TABLES)
    if problems:
        raise drift.SchemaDrift(revision, problems)
    rng = stream_for(run.settings.random_seed, revision)
    context = SeedContext(
        connection=connection,
        revision=revision,
        settings=run.settings,
        rng=rng,
        faker=faker_for(rng),
        defer_checks=run.defers_checks,
    )
    with collector_paused():
        seeder.generate(context)
    validating = time.perf_counter()
    validation.enforce(context.connection, context.inserted, revision)
    timings = {**context.seconds, "validation": time.perf_counter() - validating}
    if context.pending:  # last: row locks on earlier revisions' rows last until the commit
        changing = time.perf_counter()
        for pending in context.pending:
            changed = changes.apply(connection, revision, pending)
            key = f"{pending.table}.{pending.column}"
            context.changed[key] = context.changed.get(key, 0) + changed
        timings["changes"] = time.perf_counter() - changing
    report = RevisionReport(
        revision,
        "upgrade",
        context.inserted,
        time.perf_counter() - started,
        timings=timings,
        changed=context.changed,
    )
    run.add(report)
    output.log_event("seed_revision", f"{revision} {report.direction}", **report.as_dict())


def downgrade(revision: str, seeder: Seeder) -> None:
    run = current_run()
    started = time.perf_counter()
    connection = op.get_bind()
    effective = environment.require_permission(connection, run.settings, "undo seed data in")
    # checked for the whole run by the preflight; again where rows are deleted
    environment.require_confirmation(connection, run.settings, effective, [revision])
    ranges = {entry.table: entry.id_ranges for entry in ledger.entries(connection, revision)}
    deleted = rollback.undo_revision(connection, revision, {table.name for table in seeder.TABLES})
    # last, like the changes themselves: row locks on earlier revisions' rows stay short
    changed = changes.undo(connection, revision)
    report = RevisionReport(
        revision,
        "downgrade",
        deleted,
        time.perf_counter() - started,
        id_ranges=ranges,
        changed=changed,
    )
    run.add(report)
    output.log_event("seed_revision", f"{revision} {report.direction}", **report.as_dict())
