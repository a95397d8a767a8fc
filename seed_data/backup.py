"""A restorable copy of exactly what a seed downgrade deletes, written before it deletes.

In staging and production (and in development with SEED_BACKUP=true) a downgrade first
writes, under SEED_BACKUP_DIR (default `seed-backups/`), one directory per downgrade:

- `manifest.json`: the database, the revisions undone, `alembic_version` before, and per
  file its table, revision, row count, columns (name and type) and SHA-256;
- `<revision>.<table>.copy.gz`: the rows the ledger lists, as COPY text, gzip-compressed;
- `seed_ledger.copy.gz`, `seed_ledger_changes.copy.gz`: the ledger's entries of those
  revisions, and the changes they made to earlier rows (derived columns).

The directory is written as `<name>.partial`, every file synced, then renamed and the
parent synced: a directory without the suffix is complete. Anything that cannot be
written refuses the downgrade before its first DELETE. `python -m seed_data restore`
(seed_data/restore.py) puts it back. Only what seeding wrote is kept: synthetic rows."""

import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from psycopg import sql

from seed_data import ledger
from seed_data.errors import Refusal
from seed_data.settings import PROJECT_ROOT, Settings

FORMAT = 1
MANIFEST = "manifest.json"
LEDGER_FILE = "seed_ledger.copy.gz"
CHANGES_FILE = "seed_ledger_changes.copy.gz"
DEFAULT_DIRECTORY = "seed-backups"
BACKED_UP_ENVIRONMENTS = ("staging", "production")
BLOCK = 1 << 20


class BackupFailed(Refusal):
    """The backup could not be written: nothing was deleted."""


@dataclass(frozen=True)
class Written:
    path: Path
    rows: int
    size: int  # bytes on disk, compressed


def wanted(settings: Settings, effective: str) -> bool:
    return effective in BACKED_UP_ENVIRONMENTS or settings.backup


def directory(settings: Settings) -> Path:
    return settings.backup_dir or PROJECT_ROOT / DEFAULT_DIRECTORY


def columns_of(connection: sa.Connection, table: str) -> list[list[str]]:
    """The live table's columns and types, in order: what restore compares for drift."""
    rows = connection.execute(
        sa.text(
            "select attname, format_type(atttypid, atttypmod) from pg_attribute "
            "where attrelid = to_regclass(:table) and attnum > 0 and not attisdropped "
            "order by attnum"
        ),
        {"table": table},
    )
    return [[str(name), str(kind)] for name, kind in rows]


def _copy_out(connection: sa.Connection, query: sql.Composable, path: Path) -> tuple[int, str]:
    """COPY (query) TO STDOUT into a gzip file; returns (rows, sha256 of the file).

    psycopg hands over one row at a time: the rows are gathered into 1 MB blocks before
    they are counted and compressed (per row, that cost more than the server's COPY). Level
    1: level 9 took four times as long for a file a quarter smaller."""
    driver = connection.connection.driver_connection
    assert driver is not None
    rows = 0
    pending = bytearray()
    statement = sql.SQL("COPY ({}) TO STDOUT").format(query)
    with path.open("wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as packed:
            with driver.cursor() as cursor, cursor.copy(statement) as copy:
                for block in copy:
                    pending += block
                    if len(pending) >= BLOCK:
                        rows += pending.count(b"\n")
                        packed.write(pending)
                        pending.clear()
            rows += pending.count(b"\n")
            packed.write(pending)
        raw.flush()
        os.fsync(raw.fileno())
    return rows, sha256(path)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def name_for(database: str, revisions: Sequence[str], at: datetime) -> str:
    # Milliseconds: a restore and the same downgrade again can fall within one second.
    stamp = f"{at:%Y%m%dT%H%M%S}.{at.microsecond // 1000:03d}Z"
    return f"{database}-{stamp}-{revisions[0]}-{revisions[-1]}"


@contextmanager
def _writing(final: Path) -> Iterator[Path]:
    """A `.partial` directory, renamed to `final` once all went well, removed otherwise."""
    partial = final.with_name(final.name + ".partial")
    partial.mkdir(parents=True)
    try:
        yield partial
        os.replace(partial, final)
        _fsync_directory(final.parent)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def write(
    connection: sa.Connection,
    settings: Settings,
    revisions: Sequence[str],
    heads_before: Sequence[str],
    after: Sequence[str],
) -> Written:
    """Back up what undoing `revisions` (in the order the downgrade undoes them) deletes."""
    database = str(connection.scalar(sa.text("select current_database()")))
    now = datetime.now(UTC)
    final = directory(settings) / name_for(database, revisions, now)
    quote = connection.dialect.identifier_preparer.quote
    try:
        with _writing(final) as partial:
            files: list[dict[str, Any]] = []
            total = 0
            for revision in revisions:
                for entry in ledger.entries(connection, revision):
                    name = f"{revision}.{entry.table}.copy.gz"
                    query = sql.SQL("select * from {} where id <@ {}::int8multirange").format(
                        sql.SQL(quote(entry.table)), sql.Literal(entry.id_ranges)
                    )
                    rows, digest = _copy_out(connection, query, partial / name)
                    total += rows
                    files.append(
                        {
                            "file": name,
                            "revision": revision,
                            "table": entry.table,
                            "rows": rows,
                            "id_ranges": entry.id_ranges,
                            "columns": columns_of(connection, entry.table),
                            "sha256": digest,
                        }
                    )
            listed = sql.Literal(list(revisions))
            ledger_rows, ledger_digest = _copy_out(
                connection,
                sql.SQL(
                    "select * from seed_ledger where revision = any({}::text[]) order by id"
                ).format(listed),
                partial / LEDGER_FILE,
            )
            bookkeeping = {
                "seed_ledger": {
                    "file": LEDGER_FILE,
                    "rows": ledger_rows,
                    "columns": columns_of(connection, "seed_ledger"),
                    "sha256": ledger_digest,
                }
            }
            if connection.scalar(sa.text("select to_regclass('seed_ledger_changes') is not null")):
                change_rows, change_digest = _copy_out(
                    connection,
                    sql.SQL(
                        "select * from seed_ledger_changes where revision = any({}::text[]) "
                        "order by id"
                    ).format(listed),
                    partial / CHANGES_FILE,
                )
                bookkeeping["seed_ledger_changes"] = {
                    "file": CHANGES_FILE,
                    "rows": change_rows,
                    "columns": columns_of(connection, "seed_ledger_changes"),
                    "sha256": change_digest,
                }
            manifest = {
                "format": FORMAT,
                "database": database,
                "created_at": now.isoformat(),
                "package_versions": ledger.package_versions(),
                "revisions": list(revisions),
                "alembic_version_before": list(heads_before),
                # where the downgrade leaves the seed branch: restore starts from there
                "seed_version_after": list(after),
                "rows": total,
                "tables": files,
                "bookkeeping": bookkeeping,
            }
            with (partial / MANIFEST).open("w") as out:
                json.dump(manifest, out, indent=1)
                out.write("\n")
                out.flush()
                os.fsync(out.fileno())
            _fsync_directory(partial)
    except OSError as error:
        raise BackupFailed(
            f"cannot write the backup to {final.parent}: {error.strerror or error}. Nothing "
            "was deleted: free space or fix the directory's permissions (SEED_BACKUP_DIR), "
            "then run the downgrade again"
        ) from None
    size = sum(path.stat().st_size for path in final.iterdir())
    return Written(final, total, size)


def read_manifest(path: Path) -> dict[str, Any]:
    with (path / MANIFEST).open() as source:
        manifest: dict[str, Any] = json.load(source)
    return manifest


def opened(path: Path) -> gzip.GzipFile:
    return gzip.GzipFile(path, "rb")
