"""Every test gets its own fresh database on a real PostgreSQL: the embedded one in
.pgdata/ by default, or the server TEST_DATABASE_URL points at."""

import contextlib
import io
import logging
import os
import shutil
import subprocess
import sys
import threading
import traceback
import unittest.mock
import uuid
from argparse import Namespace
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic import config as alembic_config
from alembic.config import CommandLine, Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from seed_data import cli as seed_data_cli
from seed_data.database import parse_database_url
from seed_data.embedded import embedded_database_url
from seed_data.revisions import seeded_tables
from seed_data.settings import DEFAULT_RANDOM_SEED
from seed_data.templates import SCHEMA_TARGET, SEED_TARGET, Spec, Templates

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
SCHEMA_HEAD = "schema_0003"
SEED_HEAD = "seed_0010"
# What the seed revisions' generators write, in revision order: read from them, not listed.
SEEDED_TABLES = seeded_tables(ScriptDirectory.from_config(Config(str(ALEMBIC_INI))))
SEED_VARIABLES = (
    "DATABASE_URL",
    "SEED_ENV",
    "RAILWAY_ENVIRONMENT_NAME",
    "SEED_PROFILE",
    "SEED_RANDOM_SEED",
    "SEED_ALLOW_PRODUCTION",
    "SEED_ON_RELEASE",
    "SEED_LOCK_TIMEOUT",
    "SEED_LOAD_IN_PLACE",
    "SEED_MASKING_KEY",
    "SEED_RELEASE_STRICT",
    "SEED_LOG_FORMAT",
)


def clean_environ() -> dict[str, str]:
    """This process's environment without the variables the tool reads."""
    return {
        name: value
        for name, value in os.environ.items()
        if name not in SEED_VARIABLES and not name.startswith("RAILWAY_")
    }


def render(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that reaches PostgreSQL does so through `server_url`: mark it `database`, so
    `pytest -m "not database"` runs the pure tests alone, with no server at all."""
    for item in items:
        if "server_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.database)


@pytest.fixture(scope="session")
def server_url() -> URL:
    raw = os.environ.get("TEST_DATABASE_URL")
    if raw:
        return parse_database_url(raw)
    return embedded_database_url(PROJECT_ROOT).set(database="postgres")


def _admin(server_url: URL) -> sa.Engine:
    return sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


@pytest.fixture
def make_database(server_url: URL) -> Iterator["DatabaseFactory"]:
    factory = DatabaseFactory(server_url)
    yield factory
    factory.drop_all()


class DatabaseFactory:
    def __init__(self, server_url: URL) -> None:
        self.server_url = server_url
        self.names: list[str] = []

    def __call__(self, template: str | None = None) -> URL:
        """A new database: empty, or a copy of `template`."""
        name = f"seedtest_{uuid.uuid4().hex[:16]}"
        copy_of = f' template "{template}"' if template else ""
        with _admin(self.server_url).connect() as connection:
            connection.execute(sa.text(f'create database "{name}"{copy_of}'))
        self.names.append(name)
        return self.server_url.set(database=name)

    def drop_all(self) -> None:
        with _admin(self.server_url).connect() as connection:
            for name in self.names:
                connection.execute(sa.text(f'drop database if exists "{name}" with (force)'))


# Templates (seed_data/templates.py, as the pytest plugin uses them): built once per key,
# kept on the server between sessions, copied for each test that starts from them.
SEEDED_SMALL = Spec(SEED_TARGET, "small", DEFAULT_RANDOM_SEED)
SEEDED_MEDIUM = Spec(SEED_TARGET, "medium", DEFAULT_RANDOM_SEED)
AT_SCHEMA_HEAD = Spec(SCHEMA_TARGET)
# A test that asks for one of these fixtures gets `database_url` as a copy of its template.
STARTING_POINTS = {"database_seeded_small": SEEDED_SMALL, "database_at_schema_head": AT_SCHEMA_HEAD}


@pytest.fixture(scope="session")
def seed_templates(server_url: URL) -> Templates:
    """The plugin's fixture, on this suite's server."""
    return Templates(server_url, ALEMBIC_INI)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, make_database: DatabaseFactory) -> URL:
    """A database of the test's own: empty, or a copy of a template (STARTING_POINTS)."""
    for name, spec in STARTING_POINTS.items():
        if name in request.fixturenames:
            templates: Templates = request.getfixturevalue("seed_templates")
            return make_database(template=templates.ensure(spec))
    return make_database()


@pytest.fixture
def database_seeded_small(database_url: URL) -> URL:
    """`database_url`, seeded small with the default random seed, as `alembic upgrade
    seed@head` with SEED_ENV=test leaves it (stamped test)."""
    return database_url


@pytest.fixture
def database_at_schema_head(database_url: URL) -> URL:
    """`database_url` at schema@head, as `alembic upgrade schema@head` leaves it."""
    return database_url


@pytest.fixture
def engine(database_url: URL) -> Iterator[sa.Engine]:
    engine = sa.create_engine(database_url, poolclass=NullPool)
    yield engine
    engine.dispose()


def _exit_status(code: object) -> int:
    """The status a process ends with after SystemExit(code)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF  # Alembic's sys.exit(-1) ends the process with 255
    print(code, file=sys.stderr)
    return 1


def _logging_state() -> list[tuple[logging.Logger, list[logging.Handler], int, bool, bool]]:
    loggers = [logging.root, *logging.root.manager.loggerDict.values()]
    return [
        (logger, list(logger.handlers), logger.level, logger.propagate, logger.disabled)
        for logger in loggers
        if isinstance(logger, logging.Logger)
    ]


def run_in_process(
    main: Callable[[list[str]], object], argv: list[str], env: Mapping[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """A command's own `main` in this process, as a subprocess would run it: the given
    environment and directory, its output captured, its exit status read off SystemExit.
    What it changes in the process (logging set up from alembic.ini, sys.path) is put back.
    Four times faster than a new interpreter, and measured by coverage; one at a time, in
    the main thread (the environment is the process's, and signal handlers need it)."""
    assert threading.current_thread() is threading.main_thread(), "use a real process"
    saved_environ, saved_path, saved_cwd = dict(os.environ), list(sys.path), os.getcwd()
    saved_logging = _logging_state()
    known_loggers = {id(entry[0]) for entry in saved_logging}
    out, err = io.StringIO(), io.StringIO()
    status = 0
    try:
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                result = main(argv)
                status = result if isinstance(result, int) else 0
            except SystemExit as exit:
                status = _exit_status(exit.code)
            except Exception:
                traceback.print_exc()
                status = 1
    finally:
        os.environ.clear()
        os.environ.update(saved_environ)
        sys.path[:] = saved_path
        os.chdir(saved_cwd)
        for logger in logging.root.manager.loggerDict.values():
            if isinstance(logger, logging.Logger) and id(logger) not in known_loggers:
                logger.handlers.clear()
                logger.setLevel(logging.NOTSET)
                logger.propagate, logger.disabled = True, False
        for logger, handlers, level, propagate, disabled in saved_logging:
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate, logger.disabled = propagate, disabled
    return subprocess.CompletedProcess(argv, status, out.getvalue(), err.getvalue())


class _Config(Config):
    # Config's stdout defaults to the sys.stdout of the moment Alembic was imported.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stdout", sys.stdout)
        super().__init__(*args, **kwargs)


def _alembic_main(argv: list[str]) -> None:
    with unittest.mock.patch.object(alembic_config, "Config", _Config):
        CommandLine(prog="alembic").main(argv)


@dataclass
class Cli:
    """The real `alembic` command line, as a user runs it: its own `main`, in this process
    by default (run_in_process), or in a new interpreter where the test is about the
    process itself (signals, concurrent runs, what reaches the terminal)."""

    database_url: URL | None
    extra_env: Mapping[str, str]
    ini: Path = ALEMBIC_INI
    in_process: bool = True

    def __call__(
        self, *args: str, env: Mapping[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        child_env = clean_environ()
        if self.database_url is not None:
            child_env["DATABASE_URL"] = render(self.database_url)
        child_env.update(self.extra_env)
        child_env.update(env or {})
        argv = ["-c", str(self.ini), *args]
        if self.in_process:
            return run_in_process(_alembic_main, argv, child_env, PROJECT_ROOT)
        return subprocess.run(
            [sys.executable, "-m", "alembic", *argv],
            cwd=PROJECT_ROOT,
            env=child_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


@pytest.fixture
def cli(database_url: URL) -> Cli:
    return Cli(database_url, {})


@pytest.fixture
def cli_process(database_url: URL) -> Cli:
    """`alembic` in a new interpreter, for tests about the process itself."""
    return Cli(database_url, {}, in_process=False)


@pytest.fixture
def migrations_copy(tmp_path: Path) -> Path:
    """alembic.ini and migrations/ copied, for tests that add or change revisions; returns
    the copy's alembic.ini (its paths are relative to itself)."""
    shutil.copy(ALEMBIC_INI, tmp_path / "alembic.ini")
    shutil.copytree(
        PROJECT_ROOT / "migrations",
        tmp_path / "migrations",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return tmp_path / "alembic.ini"


@dataclass
class InProcess:
    """Alembic's command API in this process (fast, and measured by coverage)."""

    database_url: URL
    monkeypatch: pytest.MonkeyPatch

    def config(self, **x: object) -> Config:
        for name in SEED_VARIABLES:
            self.monkeypatch.delenv(name, raising=False)
        self.monkeypatch.setenv("DATABASE_URL", render(self.database_url))
        config = Config(str(ALEMBIC_INI))
        config.cmd_opts = Namespace(x=[f"{key}={value}" for key, value in x.items()])
        config.attributes["configure_logger"] = False
        return config

    def upgrade(self, target: str = "seed@head", **x: object) -> None:
        command.upgrade(self.config(**x), target)

    def downgrade(self, target: str, **x: object) -> None:
        command.downgrade(self.config(**x), target)


@pytest.fixture
def alembic(database_url: URL, monkeypatch: pytest.MonkeyPatch) -> InProcess:
    return InProcess(database_url, monkeypatch)


def table_counts(engine: sa.Engine, tables: tuple[str, ...]) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: int(connection.scalar(sa.text(f"select count(*) from {table}")) or 0)
            for table in tables
        }


def versions(engine: sa.Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.scalars(sa.text("select version_num from alembic_version")))


def seed_database(server_url: URL, profile: str) -> Iterator[sa.Engine]:
    """A database of its own, seeded to seed@head with `profile`, for a module's tests:
    a copy of the template for small and medium, seeded afresh for the larger profiles
    (whose templates would be too large to keep)."""
    factory = DatabaseFactory(server_url)
    try:
        if profile in ("small", "medium"):
            spec = SEEDED_SMALL if profile == "small" else SEEDED_MEDIUM
            url = factory(template=Templates(server_url, ALEMBIC_INI).ensure(spec))
        else:
            url = factory()
            with pytest.MonkeyPatch.context() as patch:
                InProcess(url, patch).upgrade("seed@head", profile=profile)
        engine = sa.create_engine(url, poolclass=NullPool)
        yield engine
        engine.dispose()
    finally:
        factory.drop_all()


@pytest.fixture(scope="module")
def seeded_small(server_url: URL) -> Iterator[sa.Engine]:
    yield from seed_database(server_url, "small")


def seed_data_command(
    *args: str,
    env: Mapping[str, str] | None = None,
    module: str = "seed_data",
    in_process: bool = True,
) -> subprocess.CompletedProcess[str]:
    """`python -m seed_data ...` without the caller's SEED_* variables: its `main` in this
    process (run_in_process), or `module` in a new interpreter."""
    child_env = clean_environ()
    child_env.update(env or {})
    if in_process and module == "seed_data":
        return run_in_process(seed_data_cli.main, list(args), child_env, PROJECT_ROOT)
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=PROJECT_ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def failed_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith("FAILED:")]


@dataclass
class Pii:
    """`python -m seed_data` in this process (measured by coverage)."""

    database_url: URL
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    def __call__(self, *argv: str, env: Mapping[str, str] | None = None) -> Result:
        for name in SEED_VARIABLES:
            self.monkeypatch.delenv(name, raising=False)
        self.monkeypatch.setenv("DATABASE_URL", render(self.database_url))
        for name, value in (env or {}).items():
            self.monkeypatch.setenv(name, value)
        self.capsys.readouterr()
        confirmed = "--confirm-database" in argv or "SEED_CONFIRM" in (env or {})
        if argv[:1] == ("mask",) and not confirmed:  # the tests below confirm as users must
            argv = (*argv, "--confirm-database", str(self.database_url.database))
        code = seed_data_cli.main(list(argv))
        out, err = self.capsys.readouterr()
        return Result(code, out, err)


@pytest.fixture
def pii(
    database_url: URL, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Pii:
    return Pii(database_url, monkeypatch, capsys)


def contents(url: URL) -> dict[str, list[tuple[object, ...]]]:
    """Every seeded table's rows, in id order."""
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        dump = {
            table: [tuple(row) for row in connection.execute(sa.text(f"table {table} order by id"))]
            for table in SEEDED_TABLES
        }
    engine.dispose()
    return dump
