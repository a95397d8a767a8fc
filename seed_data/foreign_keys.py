"""Foreign keys checked once per load instead of once per row, for tables a revision fills
from empty.

A foreign key is checked by a trigger per inserted row, and for COPY those checks all run
at the end of the statement, one index probe each, while the seeder waits: at xl, 1
million probes for orders (5 foreign keys) and 1 million for inventory_movements (2).
When the table being loaded holds no rows yet, the seeder drops its validated foreign keys
inside the revision's transaction, loads, and adds them back with the same name and
definition; adding a key validates every row in one set-based query, so the rows are
checked exactly as the triggers would have (docs/performance.md has both timings).

What it costs: dropping a constraint takes an ACCESS EXCLUSIVE lock on the table, and
adding it a SHARE ROW EXCLUSIVE lock on the table and the referenced one; both are held
until the revision commits. That is why it happens only for an empty table (a database
being filled, not one in use), never waits longer than LOCK_WAIT for those locks (it keeps
the keys and the per-row checks instead), and is switched off by SEED_KEEP_FOREIGN_KEYS.
If the revision fails, the rollback restores the keys with everything else.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError

from seed_data.bulk import load_failed

log = logging.getLogger(__name__)

LOCK_WAIT = "2s"

# Validated foreign keys only (a NOT VALID key re-added as such would check nothing), and
# none with a comment, which dropping it would lose.
_LIFTABLE = sa.text(
    """
    select conname, pg_get_constraintdef(oid)
    from pg_constraint
    where conrelid = cast(:table as regclass) and contype = 'f' and convalidated
      and obj_description(oid, 'pg_constraint') is null
    order by conname
    """
)


def _is_empty(connection: sa.Connection, quoted_table: str) -> bool:
    return connection.scalar(sa.text(f"select not exists (select from {quoted_table})")) is True


@contextmanager
def checked_after_load(
    connection: sa.Connection, table: str, enabled: bool = True
) -> Iterator[None]:
    """Around the load of `table`: its foreign keys are lifted and re-added (checking
    every row) when the table starts empty; otherwise the per-row triggers stay."""
    quote = connection.dialect.identifier_preparer.quote
    quoted_table = quote(table)
    keys = connection.execute(_LIFTABLE, {"table": quoted_table}).all() if enabled else []
    if not keys or not _is_empty(connection, quoted_table):
        yield
        return
    previous_wait = connection.scalar(sa.text("select current_setting('lock_timeout')"))
    connection.execute(
        sa.text("select set_config('lock_timeout', :wait, true)"), {"wait": LOCK_WAIT}
    )
    try:
        with connection.begin_nested():
            for name, _ in keys:
                connection.execute(
                    sa.text(f"alter table {quoted_table} drop constraint {quote(name)}")
                )
    except OperationalError:  # lock_timeout: the table is in use after all
        log.info("%s: in use, its foreign keys stay checked per row", table)
        keys = []
    finally:
        connection.execute(
            sa.text("select set_config('lock_timeout', :wait, true)"), {"wait": previous_wait}
        )
    yield
    # Only reached when the load succeeded; after a failure the revision rolls back,
    # which restores the keys.
    for name, definition in keys:
        try:
            connection.execute(
                sa.text(f"alter table {quoted_table} add constraint {quote(name)} {definition}")
            )
        except DBAPIError as error:  # a row the key rejects, as its trigger would have
            raise load_failed(table, error.orig or error) from None
