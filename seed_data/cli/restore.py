"""`python -m seed_data restore PATH`: put back what a seed downgrade deleted, from the
backup it wrote first (seed_data/backup.py, seed_data/restore.py)."""

import argparse
from pathlib import Path
from typing import Any

from seed_data.cli.common import EXIT_OK, add_database_url, guarded, target
from seed_data.database import connect, create_engine
from seed_data.redaction import redact_url
from seed_data.restore import recorded_restore

NAME = "restore"
DESCRIPTION = """\
Put back the rows a seed downgrade deleted, from the backup it wrote before its first
delete (staging and production always write one; SEED_BACKUP=true in development): the
same ids and values, the ledger re-recorded, derived columns changed again, and
alembic_version where it was, so a later downgrade undoes them exactly. One transaction,
under the seeding lock. Refuses in one line, writing nothing, when the backup is damaged,
the database is another one, the seed branch has moved, the schema has drifted, or an id
is taken. Exits 0 when restored, 2 when it could not.

examples:
  python -m seed_data restore seed-backups/terp_staging-20261129T101500.042Z-seed_0010-seed_0002
  python -m seed_data restore PATH --into-database terp_copy   # a backup of another database
"""


def register(subcommands: "argparse._SubParsersAction[Any]") -> None:
    command = subcommands.add_parser(
        NAME,
        help="put back what a seed downgrade deleted, from its backup",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("path", metavar="PATH", type=Path, help="the backup's directory")
    command.add_argument(
        "--into-database",
        metavar="NAME",
        help="restore a backup of another database into this one (its name, typed out)",
    )
    add_database_url(command)
    command.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    return guarded(NAME, lambda: _restore(arguments))


def _restore(arguments: argparse.Namespace) -> int:
    settings, url = target(arguments)
    engine = create_engine(url)
    try:
        with connect(engine) as connection:
            rows, manifest = recorded_restore(
                connection, settings, arguments.path, arguments.into_database
            )
    finally:
        engine.dispose()
    versions = ", ".join(manifest["alembic_version_before"])
    print(
        f"{NAME}: {rows:,} rows of {', '.join(reversed(manifest['revisions']))} back in "
        f"{redact_url(url)}; alembic_version {versions}"
    )
    return EXIT_OK
