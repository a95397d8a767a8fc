"""Bad settings: one FAILED line, non-zero exit, nothing written."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from seed_data.errors import ConfigurationError, Refusal
from seed_data.settings import DotenvError, bool_setting, load_environment, resolve_settings
from tests.conftest import Cli


def nothing_written(engine: sa.Engine) -> bool:
    with engine.connect() as connection:
        return connection.scalar(sa.text("select to_regclass('alembic_version')")) is None


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["-x", "profile=huge"], {}, "-x profile='huge' is not a seed profile"),
        ([], {"SEED_PROFILE": "tiny"}, "SEED_PROFILE='tiny' is not a seed profile"),
        (["-x", "random_seed=abc"], {}, "-x random_seed='abc' is not an integer"),
        ([], {"SEED_RANDOM_SEED": "1.5"}, "SEED_RANDOM_SEED='1.5' is not an integer"),
        (["-x", "dry_run=maybe"], {}, "-x dry_run='maybe' is not a boolean"),
        (["-x", "profil=small"], {}, "unknown -x option 'profil'"),
        ([], {"SEED_ENV": "prod"}, "SEED_ENV='prod' is not an environment"),
        ([], {"SEED_LOCK_TIMEOUT": "soon"}, "SEED_LOCK_TIMEOUT='soon' is not a number"),
        (
            [],
            {"SEED_LOAD_IN_PLACE": "sometimes"},
            "SEED_LOAD_IN_PLACE='sometimes' is not a",
        ),
    ],
)
def test_bad_setting_fails_cleanly(
    cli: Cli, engine: sa.Engine, args: list[str], env: dict[str, str], expected: str
) -> None:
    result = cli(*args, "upgrade", "seed@head", env=env)
    assert result.returncode != 0
    # the whole of stderr is the one FAILED line: no log line before it, no traceback
    (failed,) = result.stderr.splitlines()
    assert failed.startswith("FAILED:") and expected in failed, result.stdout + result.stderr
    assert nothing_written(engine)


def test_precedence_x_over_env_over_default() -> None:
    env = {
        "SEED_PROFILE": "medium",
        "SEED_RANDOM_SEED": "9",
        "RAILWAY_ENVIRONMENT_NAME": "staging",
        "DATABASE_URL": "postgresql://db/terp",
    }
    settings = resolve_settings({"profile": "large"}, env)
    assert (settings.profile.name, settings.random_seed, settings.environment) == (
        "large",
        9,
        "staging",
    )
    defaults = resolve_settings({}, {})
    assert (defaults.profile.name, defaults.random_seed, defaults.environment) == (
        "small",
        42,
        "development",
    )
    assert defaults.database_url is None and defaults.lock_timeout == 60
    assert defaults.load_in_place is None  # by environment
    assert resolve_settings({}, {"SEED_LOAD_IN_PLACE": "true"}).load_in_place
    assert (
        resolve_settings(
            {},
            {
                "SEED_ENV": "Test",
                "RAILWAY_ENVIRONMENT_NAME": "production",
                "DATABASE_URL": "postgresql://db/terp",
            },
        ).environment
        == "test"
    )
    with pytest.raises(ConfigurationError):
        resolve_settings({}, {"SEED_LOCK_TIMEOUT": "-1"})


def test_dotenv_is_read_and_real_variables_win(tmp_path: Path) -> None:
    root = tmp_path
    (root / ".env").write_text("SEED_PROFILE=medium\nSEED_RANDOM_SEED=5\n")
    merged = load_environment(root, {"SEED_RANDOM_SEED": "6"})
    assert merged["SEED_PROFILE"] == "medium"
    assert merged["SEED_RANDOM_SEED"] == "6"


URL_ENV = {"DATABASE_URL": "postgresql://db.internal/terp"}


@pytest.mark.parametrize("raw", ["true", "TRUE", " yes ", "On", "1"])
def test_every_boolean_reads_the_same_true(raw: str) -> None:
    assert resolve_settings({"dry_run": raw}, {}).dry_run
    assert resolve_settings({}, {"SEED_LOAD_IN_PLACE": raw}).load_in_place is True
    assert bool_setting({"SEED_ON_RELEASE": raw}, "SEED_ON_RELEASE")


@pytest.mark.parametrize("raw", ["false", "False", "no", "OFF", "0"])
def test_every_boolean_reads_the_same_false(raw: str) -> None:
    assert not resolve_settings({"dry_run": raw}, {}).dry_run
    assert resolve_settings({}, {"SEED_LOAD_IN_PLACE": raw}).load_in_place is False
    assert not bool_setting({"SEED_RELEASE_STRICT": raw}, "SEED_RELEASE_STRICT")


def test_names_are_read_in_any_case() -> None:
    settings = resolve_settings(
        {"profile": " Medium "}, {"SEED_ENV": "STAGING", "SEED_LOG_FORMAT": "JSON", **URL_ENV}
    )
    assert (settings.profile.name, settings.environment, settings.log_format) == (
        "medium",
        "staging",
        "json",
    )
    assert resolve_settings({}, {"SEED_PROFILE": "XL"}).profile.name == "xl"


@pytest.mark.parametrize(
    ("x_args", "env", "expected"),
    [
        ({}, {"SEED_LOCK_TIMEOUT": "nan"}, "SEED_LOCK_TIMEOUT='nan' is not a number of seconds"),
        ({}, {"SEED_LOCK_TIMEOUT": "inf"}, "from 0 to 86400"),
        ({}, {"SEED_LOCK_TIMEOUT": "-1"}, "from 0 to 86400"),
        ({}, {"SEED_LOCK_TIMEOUT": "1e9"}, "from 0 to 86400"),
        ({"random_seed": "-3"}, {}, "-x random_seed='-3' is not an integer from 0 to"),
        ({"random_seed": "1e3"}, {}, "is not an integer"),
        ({"random_seed": str(2**63)}, {}, "is not an integer"),
        ({"random_seed": "٣"}, {}, "is not an integer"),
        ({}, {"SEED_ON_RELEASE": "maybe"}, None),  # read by the release, not here
        ({}, {"SEED_LOG_FORMAT": "yaml"}, "SEED_LOG_FORMAT='yaml' is not a log format"),
        ({"dry_run": "sure"}, {}, "-x dry_run='sure' is not a boolean: use true or false"),
    ],
)
def test_out_of_range_and_odd_values_are_refused(
    x_args: dict[str, str], env: dict[str, str], expected: str | None
) -> None:
    if expected is None:
        resolve_settings(x_args, env)
        with pytest.raises(ConfigurationError, match="SEED_ON_RELEASE='maybe' is not a boolean"):
            bool_setting(env, "SEED_ON_RELEASE")
        return
    with pytest.raises(ConfigurationError) as refused:
        resolve_settings(x_args, env)
    assert expected in str(refused.value)


def test_limits_are_accepted() -> None:
    assert resolve_settings({}, {"SEED_LOCK_TIMEOUT": "0"}).lock_timeout == 0
    assert resolve_settings({}, {"SEED_LOCK_TIMEOUT": "86400"}).lock_timeout == 86400
    assert resolve_settings({"random_seed": str(2**63 - 1)}, {}).random_seed == 2**63 - 1
    assert resolve_settings({"random_seed": "0"}, {}).random_seed == 0


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SEED_ENV": "staging"}, "DATABASE_URL is not set, and the environment is staging"),
        ({"RAILWAY_ENVIRONMENT_NAME": "production"}, "the environment is production"),
        ({"RAILWAY_ENVIRONMENT_NAME": "pr-123"}, "this runs on Railway"),
        ({"RAILWAY_PROJECT_ID": "abc", "SEED_ENV": "development"}, "this runs on Railway"),
        ({"SEED_ENV": "production", "DATABASE_URL": "  "}, "the environment is production"),
    ],
)
def test_the_embedded_database_is_for_development_and_test_only(
    env: dict[str, str], expected: str
) -> None:
    with pytest.raises(ConfigurationError) as refused:
        resolve_settings({}, env)
    assert expected in str(refused.value)
    assert "embedded PostgreSQL serves development and test only" in str(refused.value)


def test_a_missing_url_on_railway_is_one_line_and_writes_nothing() -> None:
    result = Cli(None, {"RAILWAY_ENVIRONMENT_NAME": "production"})("upgrade", "schema@head")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "FAILED: DATABASE_URL is not set, and the environment is production: the embedded "
        "PostgreSQL serves development and test only. Set DATABASE_URL to the app's database."
    ]


def test_an_unknown_railway_environment_migrates_but_does_not_seed_without_seed_env() -> None:
    settings = resolve_settings({}, {"RAILWAY_ENVIRONMENT_NAME": "pr-123", **URL_ENV})
    assert settings.environment is None
    with pytest.raises(Refusal, match="RAILWAY_ENVIRONMENT_NAME='pr-123' is not one of"):
        settings.known_environment()
    chosen = resolve_settings(
        {}, {"RAILWAY_ENVIRONMENT_NAME": "pr-123", "SEED_ENV": "staging", **URL_ENV}
    )
    assert chosen.known_environment() == "staging"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'SEED_PROFILE=medium\nDATABASE_URL="postgres://u:secret@h/db\nSEED_ENV=test\n', "line 2"),
        (b"SEED_PROFILE=medium\nSEED_ENV=d\xe9veloppement\n", "line 2 is not UTF-8 text"),
        (b"just words\n", "line 1 cannot be parsed"),
    ],
)
def test_an_unreadable_dotenv_names_the_file_and_line(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    (tmp_path / ".env").write_bytes(content)
    with pytest.raises(DotenvError) as refused:
        load_environment(tmp_path, {})
    message = str(refused.value)
    assert str(tmp_path / ".env") in message and expected in message
    assert "secret" not in message
