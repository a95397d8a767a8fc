"""Put back what a seed downgrade deleted, from its backup (seed_data/backup.py): the same
ids and values, the ledger re-recorded, the changes to earlier rows made again, and
`alembic_version` where it was, so that a later downgrade undoes the restored rows
exactly.

Everything is checked before the first row is written, and a failed check writes
nothing: the files' checksums, the database's name, the seed branch standing where the
downgrade left it, the schema (every column and type), and every id still free. Then all
of it goes in one transaction, under the seeding lock."""

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from psycopg import sql

from seed_data import audit, backup, changes, environment, ledger
from seed_data.errors import Refusal
from seed_data.locking import seeding_lock
from seed_data.settings import Settings

CHUNK = 1 << 20


class RestoreRefused(Refusal):
    """The backup does not fit this database (yet): nothing was written."""


def _verified(path: Path) -> dict[str, Any]:
    if not (path / backup.MANIFEST).is_file():
        suffix = (
            " (an unfinished backup: it was never complete)" if path.suffix == ".partial" else ""
        )
        raise RestoreRefused(f"{path} holds no {backup.MANIFEST}{suffix}: not a seed backup")
    manifest = backup.read_manifest(path)
    if manifest.get("format") != backup.FORMAT:
        raise RestoreRefused(
            f"{path}: backup format {manifest.get('format')!r} is not {backup.FORMAT}"
        )
    files = [*manifest["tables"], *manifest["bookkeeping"].values()]
    for entry in files:
        if backup.sha256(path / entry["file"]) != entry["sha256"]:
            raise RestoreRefused(
                f"{path / entry['file']} does not match its checksum in the manifest: the "
                "backup is damaged; nothing was written"
            )
    return manifest


def _copy_in(connection: sa.Connection, table: str, path: Path) -> None:
    driver = connection.connection.driver_connection
    assert driver is not None
    statement = sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(table))
    with backup.opened(path) as source, driver.cursor() as cursor, cursor.copy(statement) as copy:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            copy.write(chunk)


def _seed_versions(connection: sa.Connection, seed_revisions: set[str]) -> list[str]:
    rows = connection.scalars(sa.text("select version_num from alembic_version"))
    return sorted(version for version in rows if version in seed_revisions)


def _check(connection: sa.Connection, manifest: dict[str, Any]) -> None:
    """Every reason to refuse, before anything is written."""
    if not ledger.exists(connection):
        raise RestoreRefused(
            "this database has no seed_ledger (its seed branch was undone to base): run "
            "`alembic upgrade seed_0001` first, then restore; nothing was written"
        )
    held = ledger.revisions(connection) & set(manifest["revisions"])
    if held:
        raise RestoreRefused(
            f"this database holds seed data of {', '.join(sorted(held))} again: the backup "
            "would collide with it; nothing was written"
        )
    expected = sorted(manifest["seed_version_after"])
    known = set(manifest["revisions"]) | set(manifest["alembic_version_before"]) | set(expected)
    now = _seed_versions(connection, known)
    if expected and now != expected:
        raise RestoreRefused(
            f"the downgrade left the seed branch at {', '.join(expected)}, and it is at "
            f"{', '.join(now) or 'none of those'} now: bring it back there first; nothing "
            "was written"
        )
    backed_up = [(entry["table"], entry["columns"]) for entry in manifest["tables"]]
    backed_up += [(table, entry["columns"]) for table, entry in manifest["bookkeeping"].items()]
    drifted = [
        table for table, columns in backed_up if backup.columns_of(connection, table) != columns
    ]
    if drifted:
        tables = ", ".join(sorted(set(drifted)))
        raise RestoreRefused(
            f"the schema has drifted from the backup: the columns of {tables} differ from "
            "what was backed up; nothing was written"
        )
    quote = connection.dialect.identifier_preparer.quote
    for entry in manifest["tables"]:
        taken = connection.scalar(
            sa.text(
                f"select min(id) from {quote(entry['table'])} "
                "where id <@ cast(:ranges as int8multirange)"
            ),
            {"ranges": entry["id_ranges"]},
        )
        if taken is not None:
            raise RestoreRefused(
                f"{entry['table']} id {taken} is taken by a row the backup did not hold (the "
                f"app's?): restoring would overwrite it; nothing was written"
            )


def restore(
    connection: sa.Connection, settings: Settings, path: Path, into: str | None
) -> tuple[int, dict[str, Any]]:
    """Restore the backup at `path`; returns (rows restored, manifest)."""
    manifest = _verified(path)
    database = str(connection.scalar(sa.text("select current_database()")))
    connection.commit()
    if manifest["database"] != database and into != database:
        raise RestoreRefused(
            f"the backup comes from database {manifest['database']!r}, and this is "
            f"{database!r}: to restore into it all the same, add --into-database {database}; "
            "nothing was written"
        )
    with seeding_lock(connection, settings.lock_timeout), connection.begin():
        environment.require_permission(connection, settings, "restore seed data in")
        if ledger.exists(connection):
            ledger.ensure_changes_table(connection)
        _check(connection, manifest)
        # parents first: the revisions in the order they were seeded, each revision's
        # tables in insertion order (the backup lists them as the downgrade deleted them)
        for entry in reversed(manifest["tables"]):
            _copy_in(connection, entry["table"], path / entry["file"])
        for table, entry in manifest["bookkeeping"].items():
            _copy_in(connection, table, path / entry["file"])
        restored: dict[str, str] = {}
        for entry in manifest["tables"]:
            restored[entry["table"]] = str(
                connection.scalar(
                    sa.text("select cast(:a as int8multirange) + cast(:b as int8multirange)"),
                    {"a": restored.get(entry["table"], "{}"), "b": entry["id_ranges"]},
                )
            )
        for revision in reversed(manifest["revisions"]):  # as seeded
            changes.redo(connection, revision, restored)
        connection.execute(sa.text("delete from alembic_version"))
        for version in manifest["alembic_version_before"]:
            connection.execute(
                sa.text("insert into alembic_version (version_num) values (:v)"), {"v": version}
            )
    return int(manifest["rows"]), manifest


def recorded_restore(
    connection: sa.Connection, settings: Settings, path: Path, into: str | None
) -> tuple[int, dict[str, Any]]:
    """restore(), with its audit row whatever the outcome."""
    started, clock = datetime.now(UTC), time.perf_counter()
    failure: BaseException | None = None
    database = "?"
    try:
        database = str(connection.scalar(sa.text("select current_database()")))
        connection.commit()
        return restore(connection, settings, path, into)
    except BaseException as error:
        failure = error
        raise
    finally:
        outcome, error_text = audit.outcome_of(failure)
        row = audit.entry(
            application="seed_data",
            started_at=started,
            seconds=time.perf_counter() - clock,
            environment=settings.environment or "unknown",
            database=database,
            direction="restore",
            outcome=outcome,
            error=error_text,
            backup=str(path),
        )
        audit.record(connection.engine, "seed_restore", row)
