"""`python -m seed_data snapshot save|restore|list|delete`: file-level copies of a
development or test database (seed_data/snapshots.py)."""

import argparse
from pathlib import Path
from typing import Any

from seed_data.cli.common import EXIT_OK, add_database_url, guarded, target
from seed_data.snapshots import Target, delete, listing, restore, save
from seed_data.templates import Templates

NAME = "snapshot"
DESCRIPTION = """\
Save the database as a snapshot, and restore it from one in a fraction of the time
seeding takes: PostgreSQL copies the whole database at the file level (CREATE DATABASE
... TEMPLATE). For development and test databases only; needs the CREATEDB privilege
(the embedded PostgreSQL has it). A database is copied or replaced only with nobody else
connected: the command names them, or ends them with --terminate-connections.

examples:
  python -m seed_data snapshot save seeded          after `alembic upgrade seed@head`
  python -m seed_data snapshot restore seeded       back to it, whatever the tests did
  python -m seed_data snapshot list
  python -m seed_data snapshot delete seeded
  python -m seed_data snapshot prune --dry-run      test templates and copies (pytest plugin)
  python -m seed_data snapshot prune                remove the ones no test can use

prune: the pytest fixtures (seeded_database_url, schema_database_url) keep a template per
key on the server. prune removes this checkout's templates whose code, heads or Faker
version changed, templates of checkouts that are gone from this machine, and copies left
by test processes that were killed; --all removes every template and unused copy.
"""


def register(subcommands: "argparse._SubParsersAction[Any]") -> None:
    command = subcommands.add_parser(
        NAME,
        help="save and restore a development database in seconds (CREATE DATABASE TEMPLATE)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("action", choices=("save", "restore", "list", "delete", "prune"))
    command.add_argument("name", metavar="NAME", nargs="?", help="the snapshot's name")
    command.add_argument(
        "--terminate-connections",
        action="store_true",
        help="end other sessions on the database instead of refusing",
    )
    command.add_argument(
        "--dry-run", action="store_true", help="prune: list what would go, remove nothing"
    )
    command.add_argument(
        "--all", action="store_true", help="prune: every test template and unused copy"
    )
    command.add_argument(
        "--alembic-ini",
        type=Path,
        default=Path("alembic.ini"),
        help="prune: the checkout whose templates are judged (default ./alembic.ini)",
    )
    add_database_url(command)
    command.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    return guarded(f"{NAME} {arguments.action}", lambda: _snapshot(arguments))


def _snapshot(arguments: argparse.Namespace) -> int:
    settings, url = target(arguments)
    where = Target(url, settings)
    if arguments.action == "prune":
        seen = Templates(url, arguments.alembic_ini).prune(arguments.all, arguments.dry_run)
        removed = "would remove" if arguments.dry_run else "removed"
        for database, what, goes in seen:
            print(f"{removed if goes else 'kept'} {database}: {what}")
        gone = sum(goes for _, _, goes in seen)
        print(f"{NAME} prune: {gone} {removed}, {len(seen) - gone} kept")
        return EXIT_OK
    if arguments.action == "list":
        for snapshot in listing(where):
            print(
                f"{snapshot.name}: of {snapshot.source}, seed head {snapshot.seed_head}, "
                f"profile {snapshot.profile}, random seed {snapshot.random_seed}, "
                f"{snapshot.size / 1e6:.1f} MB, made {snapshot.created_at}"
            )
        return EXIT_OK
    if not arguments.name:
        raise SystemExit(f"{NAME} {arguments.action} needs a NAME")
    if arguments.action == "save":
        snapshot = save(where, arguments.name, arguments.terminate_connections)
        print(f"{NAME}: saved {where.database} as {snapshot.name} ({snapshot.size / 1e6:.1f} MB)")
    elif arguments.action == "restore":
        snapshot = restore(where, arguments.name, arguments.terminate_connections)
        print(f"{NAME}: {where.database} restored from {snapshot.name} ({snapshot.created_at})")
    else:
        snapshot = delete(where, arguments.name)
        print(f"{NAME}: deleted {snapshot.name} of {snapshot.source}")
    return EXIT_OK
