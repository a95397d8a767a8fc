"""Which database, and how to reach it: DATABASE_URL in any of the forms Railway, Heroku and
SQLAlchemy use, always driven by psycopg 3. (When it is unset, in development and test,
seed_data.embedded starts a PostgreSQL of the project's own in `.pgdata/`.)"""

import logging

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from seed_data.errors import ConfigurationError, DatabaseUnavailable
from seed_data.redaction import redact, redact_url, url_secrets

log = logging.getLogger(__name__)

DRIVER = "postgresql+psycopg"
ACCEPTED_SCHEMES = ("postgres", "postgresql", DRIVER)
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
