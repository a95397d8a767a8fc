"""Foreign keys checked and secondary indexes built once per load instead of once per row,
for tables a revision fills from empty.

A foreign key is checked by a trigger per inserted row (for COPY, all at the end of the
statement, one index probe each, while the seeder waits), and every index takes each row
as it arrives. When the table being loaded holds no rows yet, the seeder drops its
validated foreign keys and its plain secondary indexes inside the revision's transaction,
loads, and re-creates them with the same names and definitions: adding a key validates
every row in one set-based query, and an index built over the loaded rows is a sort
instead of a million random insertions. The rows end up checked and indexed exactly as
with everything in place (docs/performance.md has both timings).

What it costs: dropping takes an ACCESS EXCLUSIVE lock on the table, held until the
revision commits (adding a key also takes SHARE ROW EXCLUSIVE on the referenced table).
That is why it happens only for an empty table (a database being filled, not one in use),
never waits longer than LOCK_WAIT for the lock (it then loads with everything in place),
and by default only in development and test (SeedRun.defers_checks; SEED_LOAD_IN_PLACE
overrides). Primary keys and unique constraints always stay.
If the revision fails, its rollback restores whatever was dropped.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from seed_data.bulk import load_failed

log = logging.getLogger(__name__)

LOCK_WAIT = "2s"

# Validated foreign keys only (a NOT VALID key re-added as such would check nothing), and
# nothing with a comment, which dropping would lose.
_FOREIGN_KEYS = sa.text(
    """
    select conname, pg_get_constraintdef(oid)
    from pg_constraint
    where conrelid = cast(:table as regclass) and contype = 'f' and convalidated
      and obj_description(oid, 'pg_constraint') is null
    order by conname
    """
)
# Plain indexes: not behind a constraint, valid, not clustered or the replica identity, in
# the default tablespace (pg_get_indexdef would not say otherwise), without a comment.
_INDEXES = sa.text(
    """
    select index.relname, pg_get_indexdef(i.indexrelid)
    from pg_index i
    join pg_class index on index.oid = i.indexrelid
    where i.indrelid = cast(:table as regclass) and i.indisvalid and not i.indisclustered
      and not i.indisreplident and index.reltablespace = 0 and index.relkind = 'i'
      and not exists (select from pg_constraint c where c.conindid = i.indexrelid)
      and obj_description(i.indexrelid, 'pg_class') is null
    order by 1
    """
)


def _is_empty(connection: sa.Connection, quoted_table: str) -> bool:
    return connection.scalar(sa.text(f"select not exists (select from {quoted_table})")) is True


def _set_lock_timeout(connection: sa.Connection, value: str) -> None:
    connection.execute(sa.text("select set_config('lock_timeout', :value, true)"), {"value": value})


@contextmanager
def checked_after_load(
    connection: sa.Connection, table: str, enabled: bool = True
) -> Iterator[None]:
    """Around the load of `table`: its foreign keys and plain indexes are dropped, then
    re-created (checking and indexing every row) when the table starts empty; otherwise,
    or when `enabled` is false, everything stays in place."""
    quote = connection.dialect.identifier_preparer.quote
    quoted_table = quote(table)
    keys: list[tuple[str, str]] = []
    indexes: list[tuple[str, str]] = []
    if enabled:
        keys = [
            (name, ddl) for name, ddl in connection.execute(_FOREIGN_KEYS, {"table": quoted_table})
        ]
        indexes = [
            (name, ddl) for name, ddl in connection.execute(_INDEXES, {"table": quoted_table})
        ]
    if not (keys or indexes) or not _is_empty(connection, quoted_table):
        yield
        return
    previous_wait = str(connection.scalar(sa.text("select current_setting('lock_timeout')")))
    _set_lock_timeout(connection, LOCK_WAIT)
    try:
        with connection.begin_nested():
            for name, _ in keys:
                connection.execute(
                    sa.text(f"alter table {quoted_table} drop constraint {quote(name)}")
                )
            for name, _ in indexes:
                connection.execute(sa.text(f"drop index {quote(name)}"))
    except DBAPIError as error:  # the lock is taken (lock_timeout), or something depends
        reason = type(error.orig).__name__ if error.orig else type(error).__name__
        log.info("%s: loading with its keys and indexes in place (%s)", table, reason)
        keys, indexes = [], []
    finally:
        _set_lock_timeout(connection, previous_wait)
    yield
    # Only reached when the load succeeded; after a failure the revision rolls back,
    # which restores what was dropped.
    try:
        for _, definition in indexes:
            connection.execute(sa.text(definition))
        for name, definition in keys:
            connection.execute(
                sa.text(f"alter table {quoted_table} add constraint {quote(name)} {definition}")
            )
    except DBAPIError as error:  # a row the key rejects, as its trigger would have
        raise load_failed(table, error.orig or error) from None
