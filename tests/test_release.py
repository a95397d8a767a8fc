"""scripts/release, the Railway pre-deploy command: its paths, its flags, Railway's PR
environments and a missing DATABASE_URL."""

import json
import subprocess
from collections.abc import Mapping

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from tests.conftest import (
    PROJECT_ROOT,
    SCHEMA_HEAD,
    SEED_HEAD,
    SEEDED_TABLES,
    clean_environ,
    render,
    table_counts,
    versions,
)


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


def test_seed_on_runs_both_and_the_flags_read_like_every_other_boolean(
    database_url: URL, engine: sa.Engine
) -> None:
    result = release(database_url, {"SEED_ON_RELEASE": "1"})  # "true" in the PR test below
    assert result.returncode == 0, result.stdout + result.stderr
    assert versions(engine) == {SEED_HEAD}
    assert all(count > 0 for count in table_counts(engine, SEEDED_TABLES).values())
    # the migrations log JSON lines for Railway's log search
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [event["event"] for event in events if event["event"] == "seed_run"] == [
        "seed_run",
        "seed_run",
    ]
    strict = release(
        database_url,
        {"SEED_ON_RELEASE": "Yes", "SEED_RELEASE_STRICT": "ON", "SEED_PROFILE": "medium"},
    )
    assert strict.returncode == 1
    assert "SEED_RELEASE_STRICT is true" in strict.stderr


@pytest.mark.parametrize("name", ["SEED_ON_RELEASE", "SEED_RELEASE_STRICT"])
def test_a_flag_that_is_not_a_boolean_stops_the_release_before_anything_runs(
    database_url: URL, engine: sa.Engine, name: str
) -> None:
    result = release(database_url, {name: "maybe"})
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"FAILED: {name}='maybe' is not a boolean: use true or false (also 1/0, yes/no, "
        "on/off); nothing was run"
    ]
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select to_regclass('alembic_version')")) is None


def test_a_railway_pr_environment_migrates_and_seeds_with_seed_env(
    database_url: URL, engine: sa.Engine
) -> None:
    pr = {"RAILWAY_ENVIRONMENT_NAME": "pr-123", "SEED_ON_RELEASE": "true"}
    without = release(database_url, pr)
    assert without.returncode == 0, without.stdout + without.stderr
    assert versions(engine) == {SCHEMA_HEAD}
    assert "RAILWAY_ENVIRONMENT_NAME='pr-123' is not one of" in without.stderr
    assert "set SEED_ENV for this Railway environment" in without.stderr
    # Railway copies the base environment's variables into its PR environments
    with_env = release(database_url, {**pr, "SEED_ENV": "staging"})
    assert with_env.returncode == 0, with_env.stdout + with_env.stderr
    assert versions(engine) == {SEED_HEAD}


def test_no_database_url_on_railway_fails_the_release(database_url: URL) -> None:
    result = release(database_url, {"RAILWAY_ENVIRONMENT_NAME": "production", "DATABASE_URL": ""})
    assert result.returncode == 1
    assert "DATABASE_URL is not set, and the environment is production" in result.stderr
    assert "schema migration failed" in result.stderr
