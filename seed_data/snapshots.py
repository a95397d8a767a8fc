"""Snapshots of a development or test database: PostgreSQL copies a whole database at the
file level (`CREATE DATABASE ... TEMPLATE`), so saving and restoring a seeded database
takes a fraction of seeding it again.

A snapshot is a database of its own, marked a template that accepts no connections. What
makes it a snapshot is its comment (a JSON record: the marker, its name, the source
database, the seed head, profile and random seed, when it was made), never its name; the
database is called `<source>__<name>` for the reader's sake only. Every command works
from the server's maintenance database (`postgres`), since a database cannot be copied
or replaced while anyone, this command included, is connected to it."""

import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from psycopg import sql
from sqlalchemy.engine import URL

from seed_data import ledger
from seed_data.database import connect, create_engine
from seed_data.environment import stamped_environment, stricter
from seed_data.errors import Refusal
from seed_data.settings import Settings

MARKER = "seed_data_snapshot"
NAME = re.compile(r"[a-z0-9_]{1,24}")
ALLOWED_ENVIRONMENTS = ("development", "test")
MAINTENANCE_DATABASE = "postgres"
CLOSING_SECONDS = 1.0  # how long a session closed a moment ago may take to leave


class SnapshotRefused(Refusal):
    """A snapshot command that cannot go on here: nothing was changed."""


@dataclass(frozen=True)
class Snapshot:
    database: str  # the template database holding it
    name: str
    source: str
    seed_head: str
    profile: str
    random_seed: int | None
    created_at: str
    size: int  # bytes


def valid_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise SnapshotRefused(
            f"snapshot name {name!r}: use 1 to 24 lower-case letters, digits or underscores"
        )
    return name


def quote_name(connection: sa.Connection, name: str) -> str:
    return str(connection.dialect.identifier_preparer.quote(name))


def comment_literal(connection: sa.Connection, record: dict[str, object]) -> str:
    """A JSON record as a string literal for COMMENT, which takes no parameters."""
    driver = connection.connection.driver_connection
    assert driver is not None
    return sql.Literal(json.dumps(record)).as_string(driver)


@dataclass(frozen=True)
class Marked:
    """A database whose comment is a JSON record carrying a given marker."""

    database: str
    record: dict[str, Any]
    size: int  # bytes
    is_template: bool


def drop_template(admin: sa.Connection, database: str) -> None:
    """A template database is dropped only once it is no longer one."""
    quoted = quote_name(admin, database)
    admin.execute(sa.text(f"alter database {quoted} with is_template false"))
    admin.execute(sa.text(f"drop database if exists {quoted} with (force)"))


def marked_databases(admin: sa.Connection, marker: str) -> list[Marked]:
    """On a connection in autocommit: other sessions create and drop databases meanwhile
    (a test suite's workers), and sizing one that was just dropped is an error."""
    rows = admin.execute(
        sa.text(
            "select datname, shobj_description(oid, 'pg_database'), datistemplate "
            "from pg_database where shobj_description(oid, 'pg_database') like :marker "
            "order by datname"
        ),
        {"marker": f"%{marker}%"},
    ).all()
    found = []
    for database, comment, is_template in rows:
        try:
            record = json.loads(comment or "")
        except ValueError:
            continue
        if not isinstance(record, dict) or record.get(marker) != 1:
            continue
        try:
            size = admin.scalar(sa.text("select pg_database_size(:d)"), {"d": database})
        except sa.exc.DBAPIError:
            continue  # dropped since
        found.append(Marked(str(database), record, int(size or 0), bool(is_template)))
    return found


def snapshots(admin: sa.Connection) -> list[Snapshot]:
    """Every snapshot on the server, found by its comment's marker."""
    found = []
    for marked in marked_databases(admin, MARKER):
        if not marked.is_template:
            continue
        record, database, size = marked.record, marked.database, marked.size
        found.append(
            Snapshot(
                database=str(database),
                name=str(record["name"]),
                source=str(record["source"]),
                seed_head=str(record.get("seed_head") or "-"),
                profile=str(record.get("profile") or "-"),
                random_seed=record.get("random_seed"),
                created_at=str(record["created_at"]),
                size=int(size),
            )
        )
    return found


def find(admin: sa.Connection, source: str, name: str) -> Snapshot:
    for snapshot in snapshots(admin):
        if snapshot.source == source and snapshot.name == name:
            return snapshot
    known = ", ".join(s.name for s in snapshots(admin) if s.source == source) or "none"
    raise SnapshotRefused(
        f"database {source!r} has no snapshot {name!r} (its snapshots: {known}); "
        "`python -m seed_data snapshot list` shows them all"
    )


def require_privilege(admin: sa.Connection, needed_by: str = "snapshots") -> None:
    allowed = admin.scalar(
        sa.text("select rolcreatedb or rolsuper from pg_roles where rolname = current_user")
    )
    if not allowed:
        role = admin.scalar(sa.text("select current_user"))
        raise SnapshotRefused(
            f"role {role!r} may not create databases: {needed_by} need the CREATEDB privilege "
            f"(ALTER ROLE {role} CREATEDB, as a superuser), or the embedded PostgreSQL"
        )


def free_of_connections(admin: sa.Connection, database: str, terminate: bool) -> None:
    """A database is copied or replaced only with nobody connected to it. A session that
    was just closed stays listed while its server process exits: it is given a second."""
    query = sa.text(
        "select pid, coalesce(nullif(application_name, ''), 'unnamed') from "
        "pg_stat_activity where datname = :database and pid <> pg_backend_pid() order by pid"
    )
    deadline = time.monotonic() + CLOSING_SECONDS
    others = admin.execute(query, {"database": database}).all()
    while others and not terminate and time.monotonic() < deadline:
        time.sleep(0.05)
        others = admin.execute(query, {"database": database}).all()
    if not others:
        return
    if terminate:
        for pid, _ in others:
            admin.execute(sa.text("select pg_terminate_backend(:pid)"), {"pid": pid})
        return
    listed = ", ".join(f"{application} (pid {pid})" for pid, application in others)
    raise SnapshotRefused(
        f"database {database!r} has other open connections: {listed}; close them, or add "
        "--terminate-connections to end them"
    )


def require_development(source: sa.Connection, settings: Settings) -> None:
    effective = stricter(settings.known_environment(), stamped_environment(source))
    if effective not in ALLOWED_ENVIRONMENTS:
        raise SnapshotRefused(
            f"snapshots are for development and test databases, and this one is {effective}: "
            "nothing was changed"
        )


def _record(source: sa.Connection, database: str, name: str) -> dict[str, object]:
    heads = source.execute(sa.text("select to_regclass('alembic_version') is not null")).scalar()
    head = (
        ", ".join(source.scalars(sa.text("select version_num from alembic_version order by 1")))
        if heads
        else ""
    )
    datasets = sorted(ledger.datasets(source))
    profile, random_seed = datasets[0] if len(datasets) == 1 else (None, None)
    return {
        MARKER: 1,
        "name": name,
        "source": database,
        "seed_head": head or None,
        "profile": profile,
        "random_seed": random_seed,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


@dataclass
class Target:
    """The working database and a connection to the server's maintenance database."""

    url: URL
    settings: Settings

    @property
    def database(self) -> str:
        return str(self.url.database)

    def admin_engine(self) -> sa.Engine:
        return create_engine(self.url.set(database=MAINTENANCE_DATABASE))


def _admin(target: Target) -> tuple[sa.Engine, sa.Connection]:
    engine = target.admin_engine()
    connection = connect(engine).execution_options(isolation_level="AUTOCOMMIT")
    require_privilege(connection)
    return engine, connection


def _checked_source(target: Target, name: str) -> dict[str, object]:
    """The working database is development's or test's; what a snapshot of it records."""
    engine = create_engine(target.url)
    try:
        with connect(engine) as source:
            require_development(source, target.settings)
            return _record(source, target.database, name)
    finally:
        engine.dispose()


def save(target: Target, name: str, terminate: bool) -> Snapshot:
    valid_name(name)
    engine, admin = _admin(target)
    try:
        record = _checked_source(target, name)
        if any(s.source == target.database and s.name == name for s in snapshots(admin)):
            raise SnapshotRefused(
                f"database {target.database!r} already has a snapshot {name!r}: delete it "
                f"first (python -m seed_data snapshot delete {name}) or choose another name"
            )
        copy = quote_name(admin, f"{target.database}__{name}"[:63])
        free_of_connections(admin, target.database, terminate)
        admin.execute(
            sa.text(f"create database {copy} template {quote_name(admin, target.database)}")
        )
        admin.execute(sa.text(f"comment on database {copy} is {comment_literal(admin, record)}"))
        admin.execute(
            sa.text(f"alter database {copy} with is_template true allow_connections false")
        )
        return find(admin, target.database, name)
    finally:
        admin.close()
        engine.dispose()


def restore(target: Target, name: str, terminate: bool) -> Snapshot:
    """Replace the working database with a copy of the snapshot: the copy is made under
    another name first, so a failure leaves the working database as it was."""
    valid_name(name)
    engine, admin = _admin(target)
    try:
        _checked_source(target, name)
        snapshot = find(admin, target.database, name)
        free_of_connections(admin, target.database, terminate)
        fresh = quote_name(admin, f"{target.database}__restoring"[:63])
        admin.execute(sa.text(f"drop database if exists {fresh}"))
        admin.execute(
            sa.text(f"create database {fresh} template {quote_name(admin, snapshot.database)}")
        )
        try:
            free_of_connections(admin, target.database, terminate)  # anyone since?
            admin.execute(sa.text(f"drop database {quote_name(admin, target.database)}"))
        except BaseException:
            admin.execute(sa.text(f"drop database if exists {fresh}"))
            raise
        admin.execute(
            sa.text(f"alter database {fresh} rename to {quote_name(admin, target.database)}")
        )
        return snapshot
    finally:
        admin.close()
        engine.dispose()


def delete(target: Target, name: str) -> Snapshot:
    valid_name(name)
    engine, admin = _admin(target)
    try:
        snapshot = find(admin, target.database, name)
        drop_template(admin, snapshot.database)
        return snapshot
    finally:
        admin.close()
        engine.dispose()


def listing(target: Target) -> list[Snapshot]:
    engine, admin = _admin(target)
    try:
        return snapshots(admin)
    finally:
        admin.close()
        engine.dispose()
