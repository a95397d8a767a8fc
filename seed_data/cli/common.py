"""What every `python -m seed_data` command shares: which database (resolved exactly as
the Alembic commands resolve it), how it fails (one `FAILED:` line on stderr, exit 2), and
what counts as the app's database."""

import argparse
from collections.abc import Callable

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data import project
from seed_data.errors import SeedError
from seed_data.output import failed
from seed_data.settings import Settings, load_environment, resolve_settings, target_url
from seed_data.validation import existing_tables

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
URL_HELP = (
    "target database (default: DATABASE_URL, else the embedded PostgreSQL); prefer "
    "DATABASE_URL, which other users of this machine cannot read in the process list"
)


class NotTerp(SeedError):
    """The database holds none of the app's tables."""


def add_database_url(command: argparse.ArgumentParser) -> None:
    command.add_argument("--database-url", metavar="URL", help=URL_HELP)


def target(arguments: argparse.Namespace) -> tuple[Settings, URL]:
    """Settings as every command resolves them; --database-url beats DATABASE_URL."""
    settings = resolve_settings({}, load_environment(), arguments.database_url)
    return settings, target_url(settings)


def require_terp_database(connection: sa.Connection, url: URL) -> None:
    began = not connection.in_transaction()
    described = project.current()
    found = existing_tables(connection, described.known_tables())
    if began:  # leave the connection as it was given: the command begins its own
        connection.rollback()
    if not found:
        database = url.database or "?"
        raise NotTerp(
            f"database {database!r} holds none of {described.name}'s tables: point "
            f"--database-url or DATABASE_URL at a {described.name} database (or run "
            "`alembic upgrade schema@head` first)"
        )


def database_error(error: BaseException) -> str:
    """A driver error without its message: messages and DETAIL lines can quote values."""
    original = getattr(error, "orig", None) or error
    diag = getattr(original, "diag", None)
    parts = [f"SQLSTATE {getattr(original, 'sqlstate', None) or '?'}"]
    for label in ("table_name", "column_name", "constraint_name"):
        value = getattr(diag, label, None) if diag is not None else None
        if value:
            parts.append(f"{label.removesuffix('_name')} {value}")
    return f"{type(original).__name__} ({', '.join(parts)})"


def fail(message: str) -> int:
    failed(message)
    return EXIT_ERROR


def guarded(action: str, body: Callable[[], int], after: str = "") -> int:
    """Run a command's body; an expected failure or a database error is one line, exit 2."""
    try:
        return body()
    except SeedError as error:
        return fail(str(error))
    except (psycopg.Error, sa.exc.DBAPIError) as error:
        return fail(f"{action} failed with a database error: {database_error(error)}.{after}")
