"""Bad settings: one FAILED line, non-zero exit, nothing written."""

import pytest
import sqlalchemy as sa

from seed_data.errors import ConfigurationError
from seed_data.settings import load_environment, resolve_settings
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
    failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED:")]
    assert len(failed) == 1 and expected in failed[0], result.stdout + result.stderr
    assert "Traceback" not in result.stderr
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


def test_dotenv_is_read_and_real_variables_win(tmp_path: object) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    (root / ".env").write_text("SEED_PROFILE=medium\nSEED_RANDOM_SEED=5\n")
    merged = load_environment(root, {"SEED_RANDOM_SEED": "6"})
    assert merged["SEED_PROFILE"] == "medium"
    assert merged["SEED_RANDOM_SEED"] == "6"
