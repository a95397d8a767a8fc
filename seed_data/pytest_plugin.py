"""pytest fixtures for the app's own tests: every test gets a database of its own, copied
in a fraction of a second from a template that was migrated, and seeded, once.

    def test_open_orders(seeded_database_url: str) -> None:
        with psycopg.connect(seeded_database_url) as connection:
            ...

- `seeded_database_url`: a copy of the database at `seed@head`, seeded with the profile
  `--seed-profile` (or SEED_PROFILE, default small) and the random seed
  `--seed-random-seed` (or SEED_RANDOM_SEED, default 42);
- `schema_database_url`: a copy of the database at `schema@head`, with no seeded rows.

Each is a libpq URL (`postgresql://...`), dropped after its test. The server is
TEST_DATABASE_URL's, else DATABASE_URL's, else the embedded PostgreSQL in `.pgdata/`;
pytest reads no `.env`. Templates are built with the `alembic.ini` in pytest's root
directory (the ini setting `seed_alembic_ini` names another) and kept between sessions
(seed_data/templates.py says when they are rebuilt).
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy.engine import URL

from seed_data import project
from seed_data.database import parse_database_url
from seed_data.embedded import embedded_database_url
from seed_data.errors import SeedError
from seed_data.settings import (
    DEFAULT_RANDOM_SEED,
    parse_environment,
    parse_name,
    parse_random_seed,
)
from seed_data.templates import SCHEMA_TARGET, SEED_TARGET, Spec, Templates

T = TypeVar("T")

DEFAULT_PROFILE = "small"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("seed_data", "seeded databases for tests (seed_data)")
    group.addoption(
        "--seed-profile",
        metavar="NAME",
        help=f"profile of seeded_database_url (default SEED_PROFILE, else {DEFAULT_PROFILE})",
    )
    group.addoption(
        "--seed-random-seed",
        metavar="N",
        help=f"random seed of seeded_database_url (default SEED_RANDOM_SEED, else "
        f"{DEFAULT_RANDOM_SEED})",
    )
    parser.addini(
        "seed_alembic_ini",
        "the alembic.ini that builds the test templates, from pytest's root directory",
        default="alembic.ini",
    )


def _refusing(step: Callable[[], T]) -> T:
    """A refusal is one line in the test report, not a traceback."""
    try:
        return step()
    except SeedError as error:
        refusal = str(error)
    pytest.fail(refusal, pytrace=False)


def libpq_url(url: URL) -> str:
    """The URL as libpq, psycopg and most drivers read it (no SQLAlchemy driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def server_url(rootpath: os.PathLike[str] | str) -> URL:
    """TEST_DATABASE_URL's server, else DATABASE_URL's, else the embedded PostgreSQL. Never
    a server the environment calls staging or production: templates are made and dropped
    there."""
    environment, source, _ = parse_environment(os.environ)
    if environment not in ("development", "test"):
        named = environment or os.environ.get("RAILWAY_ENVIRONMENT_NAME")
        raise SeedError(
            f"{source} says this is {named}: seeded test databases are made in development "
            "and test only; unset it, or set SEED_ENV=test, for the test run"
        )
    for name in ("TEST_DATABASE_URL", "DATABASE_URL"):
        raw = os.environ.get(name, "").strip()
        if raw:
            try:
                return parse_database_url(raw)
            except SeedError as error:
                raise SeedError(str(error).replace("DATABASE_URL", name)) from None
    return embedded_database_url(Path(rootpath)).set(database="postgres")


def seed_spec(config: pytest.Config) -> Spec:
    """The dataset `seeded_database_url` holds, from the options or the environment."""
    profile_raw = config.getoption("--seed-profile") or os.environ.get("SEED_PROFILE", "").strip()
    source = "--seed-profile" if config.getoption("--seed-profile") else "SEED_PROFILE"
    names = tuple(project.current().profiles)
    profile = parse_name(source, profile_raw, names, "a seed profile") if profile_raw else None
    seed_raw = config.getoption("--seed-random-seed")
    seed_source = "--seed-random-seed"
    if not seed_raw:
        seed_raw, seed_source = os.environ.get("SEED_RANDOM_SEED", "").strip(), "SEED_RANDOM_SEED"
    random_seed = parse_random_seed(seed_source, seed_raw) if seed_raw else DEFAULT_RANDOM_SEED
    return Spec(SEED_TARGET, profile or DEFAULT_PROFILE, random_seed)


@pytest.fixture(scope="session")
def seed_templates(pytestconfig: pytest.Config) -> Templates:
    """The templates on the test server, built with the project's alembic.ini."""
    ini = pytestconfig.rootpath / str(pytestconfig.getini("seed_alembic_ini"))
    return _refusing(lambda: Templates(server_url(pytestconfig.rootpath), ini))


def _copy(templates: Templates, spec: Spec) -> Iterator[str]:
    template = _refusing(lambda: templates.ensure(spec))
    with templates.copy(template) as url:
        yield libpq_url(url)


@pytest.fixture
def seeded_database_url(seed_templates: Templates, pytestconfig: pytest.Config) -> Iterator[str]:
    """A database of this test's own at seed@head, seeded; dropped afterwards."""
    yield from _copy(seed_templates, _refusing(lambda: seed_spec(pytestconfig)))


@pytest.fixture
def schema_database_url(seed_templates: Templates) -> Iterator[str]:
    """A database of this test's own at schema@head, with no seeded rows; dropped afterwards."""
    yield from _copy(seed_templates, Spec(SCHEMA_TARGET))
