"""Template databases for test suites: a database migrated (and seeded) once, then copied
for each test with `CREATE DATABASE ... TEMPLATE`, which takes a fraction of a second where
seeding takes seconds.

A template is built once per key and kept on the server between test sessions. The key
covers everything the template's contents depend on: the Alembic heads, the target
(`schema@head` or `seed@head`), the profile and random seed, and a digest of the code that
writes the rows (the migrations directory, revision files and env.py included; the
project's package; this engine) and of the pinned Faker version. Change any of them and
the next session builds a new template; `python -m seed_data snapshot prune` removes the
ones no checkout can use any more.

Like snapshots (seed_data/snapshots.py), templates and their per-test copies are known by
their database comment (a JSON record with a marker), never by their names. Every step
works from the server's maintenance database. Several processes (pytest-xdist workers,
two terminals) may ask for the same template at once: one builds it under an advisory
lock on the maintenance database while the others wait, then all of them copy it.
"""

import hashlib
import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from seed_data.database import connect, create_engine
from seed_data.errors import Refusal
from seed_data.project import ENTRY_POINT_GROUP
from seed_data.redaction import redact, url_secrets
from seed_data.snapshots import (
    comment_literal,
    drop_template,
    marked_databases,
    quote_name,
    require_privilege,
)

TEMPLATE_MARKER = "seed_data_test_template"
CLONE_MARKER = "seed_data_test_clone"
MAINTENANCE_DATABASE = "postgres"
SCHEMA_TARGET = "schema@head"
SEED_TARGET = "seed@head"
# pg_advisory_lock(int, int): the first number keeps these locks apart from any other
# advisory lock taken on the maintenance database.
LOCK_CLASS = 0x5EED
# Variables that would steer the build away from what the key says (a profile, a Railway
# environment): the build runs without them, in the test environment.
_STEERING_PREFIXES = ("SEED_", "RAILWAY_")


class TemplateRefused(Refusal):
    """A template that cannot be built or copied here: nothing was changed."""


@dataclass(frozen=True)
class Spec:
    """What a template holds: the schema alone, or the schema seeded with a dataset."""

    target: str  # SCHEMA_TARGET or SEED_TARGET
    profile: str | None = None
    random_seed: int | None = None

    def describe(self) -> str:
        if self.target == SCHEMA_TARGET:
            return SCHEMA_TARGET
        return f"{self.target}, profile {self.profile}, random seed {self.random_seed}"


def _package_directories() -> list[Path]:
    """The engine's package and the installed project's (whose generators write the rows)."""
    names = {"seed_data"} | {
        point.module.split(".")[0] for point in metadata.entry_points(group=ENTRY_POINT_GROUP)
    }
    directories: list[Path] = []
    for name in sorted(names):
        spec = find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            directories.extend(Path(p) for p in spec.submodule_search_locations)
    return directories


def _files(directory: Path) -> Iterator[Path]:
    for path in sorted(directory.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            yield path


def code_digest(directories: Iterable[Path]) -> str:
    """A digest of every file under the directories, names and contents both."""
    digest = hashlib.sha256()
    for directory in directories:
        for path in _files(directory):
            digest.update(str(path.relative_to(directory)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


class Templates:
    """The templates for one Alembic configuration on one server."""

    def __init__(self, server_url: URL, alembic_ini: Path) -> None:
        self.server_url = server_url.set(database=MAINTENANCE_DATABASE)
        self.alembic_ini = alembic_ini.resolve()
        if not self.alembic_ini.is_file():
            raise TemplateRefused(
                f"{self.alembic_ini} does not exist: templates are built with the project's "
                "alembic.ini (pytest: --seed-alembic-ini or the seed_alembic_ini setting)"
            )
        script = ScriptDirectory.from_config(Config(str(self.alembic_ini)))
        self.heads = tuple(sorted(script.get_heads()))
        self._digest = code_digest([Path(script.dir), *_package_directories()])
        self._ready: dict[str, str] = {}  # key -> template database, for this session
        self.builds = 0  # templates this object built (the others were found ready)

    def key(self, spec: Spec) -> str:
        record = {
            "heads": self.heads,
            "target": spec.target,
            "profile": spec.profile,
            "random_seed": spec.random_seed,
            "code": self._digest,
            "faker": metadata.version("faker"),
        }
        return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:24]

    # -- the maintenance connection ------------------------------------------------------

    @contextmanager
    def _admin(self) -> Iterator[sa.Connection]:
        engine = create_engine(self.server_url)
        try:
            with connect(engine).execution_options(isolation_level="AUTOCOMMIT") as admin:
                require_privilege(admin, "test templates")
                yield admin
        finally:
            engine.dispose()

    @staticmethod
    def _find(admin: sa.Connection, key: str) -> str | None:
        """The finished template with this key (a build in progress is not one yet)."""
        return next(
            (
                marked.database
                for marked in marked_databases(admin, TEMPLATE_MARKER)
                if marked.is_template and marked.record.get("key") == key
            ),
            None,
        )

    # -- building ------------------------------------------------------------------------

    def ensure(self, spec: Spec) -> str:
        """The template database for `spec`, built first if no process has built it."""
        key = self.key(spec)
        if key in self._ready:
            return self._ready[key]
        with self._admin() as admin:
            self._ready[key] = self._found_or_built(admin, spec, key)
        return self._ready[key]

    def _found_or_built(self, admin: sa.Connection, spec: Spec, key: str) -> str:
        found = self._find(admin, key)
        if found is not None:
            return found
        lock = {"class": LOCK_CLASS, "key": int(key[:7], 16)}
        admin.execute(sa.text("select pg_advisory_lock(:class, :key)"), lock)
        try:
            found = self._find(admin, key)  # built by another process while we waited
            return found if found is not None else self._build(admin, spec, key)
        finally:
            admin.execute(sa.text("select pg_advisory_unlock(:class, :key)"), lock)

    def _build(self, admin: sa.Connection, spec: Spec, key: str) -> str:
        self.builds += 1
        database = f"seed_template_{key}"
        quoted = quote_name(admin, database)
        # A build that was killed leaves its database behind, unmarked as a template.
        admin.execute(sa.text(f"drop database if exists {quoted} with (force)"))
        admin.execute(sa.text(f"create database {quoted}"))
        try:
            self._migrate(self.server_url.set(database=database), spec)
            record: dict[str, object] = {
                TEMPLATE_MARKER: 1,
                "key": key,
                "target": spec.target,
                "profile": spec.profile,
                "random_seed": spec.random_seed,
                "alembic_ini": str(self.alembic_ini),
                "host": socket.gethostname(),
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            admin.execute(
                sa.text(f"comment on database {quoted} is {comment_literal(admin, record)}")
            )
            admin.execute(
                sa.text(f"alter database {quoted} with is_template true allow_connections false")
            )
        except BaseException:
            admin.execute(sa.text(f"drop database if exists {quoted} with (force)"))
            raise
        return database

    def _migrate(self, url: URL, spec: Spec) -> None:
        """`alembic upgrade` as a user runs it, in a process of its own."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(_STEERING_PREFIXES)}
        env["DATABASE_URL"] = url.render_as_string(hide_password=False)
        env["SEED_ENV"] = "test"
        options = []
        if spec.profile is not None:
            options += ["-x", f"profile={spec.profile}"]
        if spec.random_seed is not None:
            options += ["-x", f"random_seed={spec.random_seed}"]
        command = [sys.executable, "-m", "alembic", "-c", str(self.alembic_ini)]
        result = subprocess.run(
            [*command, *options, "upgrade", spec.target],
            cwd=self.alembic_ini.parent,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            why = redact(
                lines[-1] if lines else f"exit {result.returncode}",
                url_secrets(url.render_as_string(hide_password=False)),
            )
            raise TemplateRefused(f"building the template ({spec.describe()}) failed: {why}")

    # -- copies --------------------------------------------------------------------------

    @contextmanager
    def copy(self, template: str) -> Iterator[URL]:
        """A database of its own, copied from the template, dropped afterwards."""
        database = f"seed_test_{uuid.uuid4().hex[:16]}"
        record = {
            CLONE_MARKER: 1,
            "template": template,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with self._admin() as admin:
            quoted = quote_name(admin, database)
            admin.execute(
                sa.text(f"create database {quoted} template {quote_name(admin, template)}")
            )
            admin.execute(
                sa.text(f"comment on database {quoted} is {comment_literal(admin, record)}")
            )
        try:
            yield self.server_url.set(database=database)
        finally:
            with self._admin() as admin:
                admin.execute(sa.text(f"drop database if exists {quoted} with (force)"))

    # -- pruning -------------------------------------------------------------------------

    def prune(self, everything: bool, dry_run: bool) -> list[tuple[str, str, bool]]:
        """Remove what no test can use any more; returns (database, what it is, whether it
        goes) for every template and copy found.

        A template is removed when it was built from this checkout (its alembic.ini) and
        its key no longer matches the checkout's, or when it was built on this machine from
        an alembic.ini that is gone. Templates of other checkouts still in place are theirs
        to prune. A copy is removed when the test process that made it is gone.
        `everything` removes every template and every copy nobody is connected to."""
        seen: list[tuple[str, str, bool]] = []
        here = socket.gethostname()
        with self._admin() as admin:
            for marked in marked_databases(admin, TEMPLATE_MARKER):
                record = marked.record
                spec = Spec(str(record["target"]), record.get("profile"), record.get("random_seed"))
                ini = str(record.get("alembic_ini"))
                if not marked.is_template:
                    why: str | None = "an unfinished build"
                elif ini == str(self.alembic_ini):
                    why = None if record["key"] == self.key(spec) else "stale for this checkout"
                elif record.get("host") == here and not Path(ini).exists():
                    why = f"its checkout is gone ({ini})"
                else:
                    why = None
                if everything and why is None:
                    why = "removing all"
                what = f"template of {spec.describe()}, {marked.size / 1e6:.1f} MB, " + (
                    why or "in use"
                )
                seen.append((marked.database, what, why is not None))
                if why is not None and not dry_run:
                    drop_template(admin, marked.database)
            for marked in marked_databases(admin, CLONE_MARKER):
                record = marked.record
                gone = record.get("host") == here and not _alive(record.get("pid"))
                why = "its test process is gone" if gone else None
                if everything and why is None and not _connected(admin, marked.database):
                    why = "removing all"
                what = f"copy of {record.get('template')} for a test, " + (why or "in use")
                seen.append((marked.database, what, why is not None))
                if why is not None and not dry_run:
                    drop_template(admin, marked.database)
        return seen


def _connected(admin: sa.Connection, database: str) -> bool:
    return bool(
        admin.scalar(
            sa.text("select exists (select from pg_stat_activity where datname = :database)"),
            {"database": database},
        )
    )


def _alive(pid: object) -> bool:
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
