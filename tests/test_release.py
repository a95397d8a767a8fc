"""scripts/release, the Railway pre-deploy command: its four paths."""

import subprocess
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.engine import URL

from tests.conftest import PROJECT_ROOT, clean_environ, render, table_counts, versions
from tests.test_roundtrip import SCHEMA_HEAD, SEED_HEAD, SEEDED_TABLES


def release(database_url: URL, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    child_env = clean_environ()
    child_env.update({"DATABASE_URL": render(database_url), **env})
    return subprocess.run(
        [str(PROJECT_ROOT / "scripts" / "release")],
        cwd=PROJECT_ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_seed_off_runs_schema_only(database_url: URL, engine: sa.Engine) -> None:
    result = release(database_url, {})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "seed skipped" in result.stdout
    assert versions(engine) == {SCHEMA_HEAD}


def test_seed_on_runs_both(database_url: URL, engine: sa.Engine) -> None:
    result = release(database_url, {"SEED_ON_RELEASE": "true"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert versions(engine) == {SEED_HEAD}
    assert all(count > 0 for count in table_counts(engine, SEEDED_TABLES).values())


def test_failed_seed_is_loud_but_does_not_block(database_url: URL, engine: sa.Engine) -> None:
    # production without the second key: the seed is refused, the schema still ships
    env = {"SEED_ON_RELEASE": "true", "RAILWAY_ENVIRONMENT_NAME": "production"}
    result = release(database_url, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING: SEED FAILED" in result.stderr
    assert "FAILED: refusing to seed production database" in result.stderr
    assert versions(engine) == {SCHEMA_HEAD}
    assert set(table_counts(engine, SEEDED_TABLES).values()) == {0}


def test_failed_seed_blocks_when_strict(database_url: URL, engine: sa.Engine) -> None:
    env = {
        "SEED_ON_RELEASE": "true",
        "SEED_RELEASE_STRICT": "true",
        "RAILWAY_ENVIRONMENT_NAME": "production",
    }
    result = release(database_url, env)
    assert result.returncode != 0
    assert "SEED_RELEASE_STRICT is true" in result.stderr
    assert versions(engine) == {SCHEMA_HEAD}


def test_failed_schema_migration_fails_the_release(database_url: URL) -> None:
    result = release(database_url.set(port=1, host="127.0.0.1", query={}), {})
    assert result.returncode != 0
    assert "schema migration failed" in result.stderr
