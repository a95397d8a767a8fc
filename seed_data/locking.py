"""One run at a time: a PostgreSQL session-level advisory lock, polled with
`pg_try_advisory_lock` (a blocked `pg_advisory_lock` waiter can deadlock undetected with
some DDL in the holder). The server frees a session lock when the session ends, so a
killed run never leaves a stale lock and there is no "release locks" command."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from seed_data.errors import LockTimeout, SeedError

log = logging.getLogger(__name__)

# Two-int form: pg_locks shows them as classid/objid, easy to find.
LOCK_NAMESPACE = 0x7E5D  # "TERP seed"
LOCK_ID = 1
POLL_SECONDS = 0.25

_HOLDER = sa.text(
    """
    select a.pid, coalesce(nullif(a.application_name, ''), '?'),
           coalesce(host(a.client_addr), 'local socket'), a.backend_start
    from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.granted
      and l.database = (select oid from pg_database where datname = current_database())
      and l.classid = :namespace and l.objid = :lock_id and l.objsubid = 2
    """
)


def describe_holder(connection: sa.Connection) -> str:
    row = connection.execute(_HOLDER, {"namespace": LOCK_NAMESPACE, "lock_id": LOCK_ID}).first()
    connection.commit()
    if row is None:
        return "a session that has since ended"
    pid, application, address, since = row
    return (
        f"pid {pid} ({application}, from {address}, connected since {since:%Y-%m-%d %H:%M:%S %Z})"
    )


def _try_lock(connection: sa.Connection) -> bool:
    acquired = connection.scalar(
        sa.text("select pg_try_advisory_lock(:namespace, :lock_id)"),
        {"namespace": LOCK_NAMESPACE, "lock_id": LOCK_ID},
    )
    # Commit at once: Alembic must find the connection outside a transaction, or it
    # treats the work as external and commits nothing (docs/architecture.md).
    connection.commit()
    return bool(acquired)


_HELD_HERE = sa.text(
    """
    select count(*) from pg_locks
    where locktype = 'advisory' and granted and pid = pg_backend_pid()
      and classid = :namespace and objid = :lock_id and objsubid = 2
    """
)


def ensure_session_kept(connection: sa.Connection) -> None:
    """Behind a transaction-pooling proxy (PgBouncer), the next statement may run on
    another server session that does not hold the lock: then no lock protects the run."""
    held = connection.scalar(_HELD_HERE, {"namespace": LOCK_NAMESPACE, "lock_id": LOCK_ID})
    connection.commit()
    if not held:
        raise SeedError(
            "the seeding lock did not stay with this connection's server session: "
            "DATABASE_URL seems to go through a transaction-pooling proxy such as PgBouncer. "
            "Use a direct connection to PostgreSQL (or session pooling) for seeding."
        )


@contextmanager
def seeding_lock(connection: sa.Connection, timeout: float) -> Iterator[None]:
    deadline = time.monotonic() + timeout
    announced = False
    while not _try_lock(connection):
        if time.monotonic() >= deadline:
            raise LockTimeout(
                f"another run holds the seeding lock: {describe_holder(connection)}. "
                f"Waited {timeout:g} s (SEED_LOCK_TIMEOUT); wait for it to finish or stop it, "
                "then run again."
            )
        if not announced:
            log.info("waiting for the seeding lock held by %s", describe_holder(connection))
            announced = True
        time.sleep(POLL_SECONDS)
    try:
        ensure_session_kept(connection)
        yield
    finally:
        if not connection.closed and not connection.invalidated:
            if connection.in_transaction():
                connection.rollback()
            connection.execute(
                sa.text("select pg_advisory_unlock(:namespace, :lock_id)"),
                {"namespace": LOCK_NAMESPACE, "lock_id": LOCK_ID},
            )
            connection.commit()
