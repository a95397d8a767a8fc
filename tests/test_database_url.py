"""DATABASE_URL in every accepted form, and clean one-line failures for bad ones."""

import time
from subprocess import CompletedProcess

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.database import parse_database_url
from seed_data.errors import ConfigurationError
from seed_data.redaction import redact_url
from tests.conftest import Cli, render

SECRET = "s3cret-Pa55word"


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgresql+psycopg"])
def test_every_url_form_is_driven_by_psycopg(
    scheme: str, database_url: URL, engine: sa.Engine
) -> None:
    raw = render(database_url.set(drivername=scheme))
    result = Cli(None, {"DATABASE_URL": raw})("upgrade", "schema@head")
    assert result.returncode == 0, result.stderr
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select count(*) from workflow_statuses")) == 6


def assert_clean_failure(result: CompletedProcess[str]) -> None:
    assert result.returncode != 0
    output = result.stdout + result.stderr
    failed = [line for line in output.splitlines() if line.startswith("FAILED:")]
    assert len(failed) == 1, output
    assert "Traceback" not in output
    assert "ERROR" not in output
    assert SECRET not in output


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"postgres://seed:{SECRET}@db.internal:notaport/terp", "not a valid database URL"),
        (f"mysql://seed:{SECRET}@db.internal/terp", "uses mysql://"),
        (f"postgresql://seed:{SECRET}@db.internal", "names no database"),
        ("just some words", "not a valid database URL"),
    ],
)
def test_bad_url_is_one_line_without_the_password(raw: str, expected: str) -> None:
    result = Cli(None, {"DATABASE_URL": raw})("upgrade", "seed@head")
    assert_clean_failure(result)
    assert expected in result.stderr


def test_unreachable_host_fails_fast_without_the_password() -> None:
    raw = f"postgresql://seed:{SECRET}@127.0.0.1:1/terp"
    started = time.monotonic()
    result = Cli(None, {"DATABASE_URL": raw})("upgrade", "seed@head")
    assert time.monotonic() - started < 15
    assert_clean_failure(result)
    assert "cannot connect to postgresql+psycopg://seed:***@127.0.0.1:1/terp" in result.stderr


def test_parse_keeps_the_url_as_given_and_redacts() -> None:
    url = parse_database_url(f"postgres://seed:{SECRET}@db.internal:6543/terp")
    assert url.drivername == "postgresql+psycopg"
    assert "connect_timeout" not in url.query  # the engine passes it to the driver instead
    assert redact_url(url) == "postgresql+psycopg://seed:***@db.internal:6543/terp"
    in_query = parse_database_url(f"postgresql://seed@db.internal/terp?password={SECRET}")
    assert SECRET not in redact_url(in_query)
    kept = parse_database_url("postgresql://seed@db.internal/terp?connect_timeout=3")
    assert kept.query["connect_timeout"] == "3"
    with pytest.raises(ConfigurationError):
        parse_database_url("postgresql+asyncpg://seed@db.internal/terp")
