"""The pytest plugin (seed_data/pytest_plugin.py), run as an app's suite would run it: in
pytest sessions of their own (pytester, in this process), against this suite's server.
Each test asks for a random seed nobody else uses, so that the template it builds is its
own, and removes it after."""

import os
import secrets
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.snapshots import drop_template, marked_databases
from seed_data.templates import CLONE_MARKER, SCHEMA_TARGET, TEMPLATE_MARKER, Spec, Templates
from tests.conftest import ALEMBIC_INI, PROJECT_ROOT, clean_environ, render, seed_data_command

APP_TESTS = textwrap.dedent(
    """
    import psycopg

    def test_first_changes_its_copy(seeded_database_url):
        with psycopg.connect(seeded_database_url) as connection:
            assert connection.execute("select count(*) from orders").fetchone()[0] > 0
            connection.execute("update clients set name = 'changed by the first test'")
            connection.execute("create table scratch (x int)")

    def test_second_sees_none_of_it(seeded_database_url):
        with psycopg.connect(seeded_database_url) as connection:
            changed = "select count(*) from clients where name = 'changed by the first test'"
            assert connection.execute(changed).fetchone()[0] == 0
            assert connection.execute("select to_regclass('scratch')").fetchone()[0] is None

    def test_schema_only(schema_database_url):
        with psycopg.connect(schema_database_url) as connection:
            assert connection.execute("select count(*) from orders").fetchone()[0] == 0
    """
)


def readme_example() -> str:
    """The fixture in use, as the README shows it."""
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme[readme.index("## Seeded databases in your tests") :]
    return section[section.index("```python\n") + 10 : section.index("```\n", 10)]


@pytest.fixture
def random_seed(server_url: URL) -> Iterator[int]:
    """A random seed of this test's own; the templates built with it are removed after."""
    seed = secrets.randbelow(2**62)
    yield seed
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as admin:
        for marked in marked_databases(admin, TEMPLATE_MARKER):
            if marked.record.get("random_seed") == seed:
                drop_template(admin, marked.database)
    engine.dispose()


@pytest.fixture
def app(pytester: pytest.Pytester, server_url: URL, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An app's test directory: these tests, pointed at this suite's server."""
    for name in ("SEED_PROFILE", "SEED_RANDOM_SEED", "SEED_ENV", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEST_DATABASE_URL", render(server_url))
    pytester.makeini(f"[pytest]\nseed_alembic_ini = {ALEMBIC_INI}\n")
    pytester.makepyfile(test_app=APP_TESTS, test_readme=readme_example())
    return pytester.path


def templates(server_url: URL, random_seed: int) -> dict[str, int]:
    """Each template built with `random_seed`: its database and the database's oid."""
    engine = sa.create_engine(server_url)
    with engine.connect() as admin:
        found = {
            marked.database: int(
                admin.scalar(
                    sa.text("select oid from pg_database where datname = :d"),
                    {"d": marked.database},
                )
            )
            for marked in marked_databases(admin, TEMPLATE_MARKER)
            if marked.record.get("random_seed") == random_seed and marked.is_template
        }
    engine.dispose()
    return found


def test_tests_get_copies_of_their_own_and_the_template_is_kept_between_sessions(
    app: Path, pytester: pytest.Pytester, server_url: URL, random_seed: int
) -> None:
    assert len([line for line in readme_example().splitlines() if line]) <= 10  # as promised
    assert templates(server_url, random_seed) == {}
    first = pytester.runpytest(f"--seed-random-seed={random_seed}", "-p", "no:cov")
    first.assert_outcomes(passed=4)
    built = templates(server_url, random_seed)
    assert len(built) == 1  # seeded small with this random seed; schema@head is shared

    second = pytester.runpytest(f"--seed-random-seed={random_seed}", "-p", "no:cov")
    second.assert_outcomes(passed=4)
    assert templates(server_url, random_seed) == built  # the same database: not rebuilt

    engine = sa.create_engine(server_url)
    with engine.connect() as admin:
        copies = [m.record["template"] for m in marked_databases(admin, CLONE_MARKER)]
    engine.dispose()
    assert not set(copies) & set(built)  # every copy was dropped after its test


@pytest.mark.slow
def test_another_profile_builds_another_template(
    app: Path, pytester: pytest.Pytester, server_url: URL, random_seed: int
) -> None:
    for profile in ("small", "medium"):
        result = pytester.runpytest(
            f"--seed-random-seed={random_seed}", f"--seed-profile={profile}", "-p", "no:cov"
        )
        result.assert_outcomes(passed=4)
    engine = sa.create_engine(server_url)
    with engine.connect() as admin:
        profiles = sorted(
            str(m.record["profile"])
            for m in marked_databases(admin, TEMPLATE_MARKER)
            if m.record.get("random_seed") == random_seed
        )
    engine.dispose()
    assert profiles == ["medium", "small"]


def test_two_processes_asking_at_once_build_once(server_url: URL, random_seed: int) -> None:
    ask = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from seed_data.database import parse_database_url
        from seed_data.templates import SEED_TARGET, Spec, Templates
        templates = Templates(parse_database_url(sys.argv[1]), Path(sys.argv[2]))
        print(templates.ensure(Spec(SEED_TARGET, "small", int(sys.argv[3]))), templates.builds)
        """
    )
    argv = [sys.executable, "-c", ask, render(server_url), str(ALEMBIC_INI), str(random_seed)]
    processes = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=clean_environ())
        for _ in range(2)
    ]
    answers = [process.communicate(timeout=180)[0].split() for process in processes]
    assert all(process.returncode == 0 for process in processes)
    (database,) = {name for name, _ in answers}
    assert sorted(int(builds) for _, builds in answers) == [0, 1]
    assert list(templates(server_url, random_seed)) == [database]


def test_refusals_are_one_line(
    app: Path, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = pytester.runpytest("--seed-profile=huge", "-p", "no:cov", "-k", "first_changes")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*--seed-profile='huge' is not a seed profile: use one of small, medium*"]
    )
    monkeypatch.setenv("SEED_ENV", "staging")
    result = pytester.runpytest("-p", "no:cov", "-k", "schema")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*SEED_ENV says this is staging: seeded test databases are made in development and "
            "test only*"
        ]
    )


def test_prune_removes_stale_templates_and_orphaned_copies(
    server_url: URL, migrations_copy: Path
) -> None:
    ours = Templates(server_url, ALEMBIC_INI).ensure(Spec(SCHEMA_TARGET))
    env_py = migrations_copy.parent / "migrations" / "env.py"
    env_py.write_text(env_py.read_text() + f"\n# this copy: {secrets.token_hex(8)}\n")
    old = Templates(server_url, migrations_copy)
    stale = old.ensure(Spec(SCHEMA_TARGET))
    with old.copy(stale) as copy_url:
        pass  # dropped on the way out; an orphan is one whose process died first
    orphan_engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    orphan = f"{copy_url.database}_orphan"
    with orphan_engine.connect() as admin:
        admin.execute(sa.text(f'create database "{orphan}"'))
        record = f'{{"{CLONE_MARKER}": 1, "host": "{os.uname().nodename}", "pid": 999999999}}'
        admin.execute(sa.text(f"comment on database \"{orphan}\" is '{record}'"))
    orphan_engine.dispose()

    env_py.write_text(env_py.read_text() + "# changed since\n")
    url = render(server_url.set(database="postgres"))
    prune = ("snapshot", "prune", "--alembic-ini", str(migrations_copy), "--database-url", url)
    dry = seed_data_command(*prune, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"would remove {stale}: template of schema@head" in dry.stdout
    assert "stale for this checkout" in dry.stdout
    assert f"would remove {orphan}: copy of None for a test, its test process is gone" in (
        dry.stdout
    )
    assert templates_named(server_url, stale)

    done = seed_data_command(*prune)
    assert done.returncode == 0, done.stderr
    assert f"removed {stale}" in done.stdout and f"removed {orphan}" in done.stdout
    assert not templates_named(server_url, stale) and not templates_named(server_url, orphan)
    # The suite's own template came from another checkout, still in place: kept.
    assert f"kept {ours}: template of schema@head" in done.stdout
    assert templates_named(server_url, ours)


def templates_named(server_url: URL, database: str) -> bool:
    engine = sa.create_engine(server_url)
    with engine.connect() as admin:
        exists = admin.scalar(
            sa.text("select exists (select from pg_database where datname = :d)"), {"d": database}
        )
    engine.dispose()
    return bool(exists)
