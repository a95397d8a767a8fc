"""The two calls a seed revision makes: `upgrade(revision, generate)` and
`downgrade(revision)`. Everything else (random stream, ids, COPY, ledger, report) is here,
so a revision file stays a short, readable pair."""

import logging
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from alembic import op
from faker import Faker

from seed_data import ledger, rollback, validation
from seed_data.bulk import copy_rows
from seed_data.errors import SeedError, SeedIntegrityError
from seed_data.ids import IdBlock, allocate_ids
from seed_data.profiles import Profile
from seed_data.randomness import faker_for, stream_for
from seed_data.run import ATTRIBUTE, RevisionReport, SeedRun
from seed_data.settings import Settings

log = logging.getLogger(__name__)

Row = Sequence[Any]


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

    @property
    def profile(self) -> Profile:
        return self.settings.profile

    def insert(
        self,
        table: str,
        columns: Sequence[str],
        count: int,
        make_rows: Callable[[IdBlock], Iterable[Row]],
    ) -> IdBlock:
        """Allocate `count` ids of `table`, COPY the rows `make_rows(ids)` yields (each row
        starts with its id, then `columns`), and record the ids in the ledger."""
        ids = allocate_ids(self.connection, table, count)
        written = copy_rows(self.connection, table, ("id", *columns), make_rows(ids))
        if written != count:
            raise SeedIntegrityError(
                f"{self.revision}: the {table} generator yielded {written} rows for {count} ids"
            )
        if count:
            ledger.record(
                self.connection,
                revision=self.revision,
                table=table,
                ids=ids,
                profile=self.profile.name,
                random_seed=self.settings.random_seed,
            )
        self.inserted[table] = self.inserted.get(table, 0) + count
        return ids

    def seeded_ids(self, table: str) -> IdBlock:
        """Ids of `table` inserted by earlier seed revisions (for references)."""
        return ledger.seeded_ids(self.connection, table)


def current_run() -> SeedRun:
    context = op.get_context()
    run = context.config.attributes.get(ATTRIBUTE) if context.config else None
    if not isinstance(run, SeedRun):
        raise SeedError(
            "seed revisions run only through this project's migrations/env.py "
            "(alembic -c alembic.ini ...)"
        )
    return run


def upgrade(revision: str, generate: Callable[[SeedContext], None]) -> None:
    run = current_run()
    started = time.perf_counter()
    rng = stream_for(run.settings.random_seed, revision)
    context = SeedContext(
        connection=op.get_bind(),
        revision=revision,
        settings=run.settings,
        rng=rng,
        faker=faker_for(rng),
    )
    generate(context)
    validation.enforce(context.connection, context.inserted, revision)
    report = RevisionReport(revision, "upgrade", context.inserted, time.perf_counter() - started)
    run.add(report)
    log.info("%s: inserted %s", revision, _describe(report.rows))


def downgrade(revision: str) -> None:
    run = current_run()
    started = time.perf_counter()
    deleted = rollback.undo_revision(op.get_bind(), revision)
    report = RevisionReport(revision, "downgrade", deleted, time.perf_counter() - started)
    run.add(report)
    log.info("%s: deleted %s", revision, _describe(deleted))


def _describe(rows: dict[str, int]) -> str:
    return ", ".join(f"{count} {table}" for table, count in rows.items()) or "no rows"
