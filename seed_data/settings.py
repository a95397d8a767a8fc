"""Every setting, resolved in one place: `-x` options beat environment variables, which
beat `.env`, which beats the defaults.

One rule for every value a person types: surrounding blanks are ignored, an empty value
means "not set", names (profiles, environments, log formats) and booleans are read in any
case, and anything else is one `FAILED:` line that says what would be accepted."""

import io
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values
from dotenv.parser import parse_stream
from sqlalchemy.engine import URL

from seed_data import project
from seed_data.database import parse_database_url
from seed_data.embedded import embedded_database_url
from seed_data.errors import ConfigurationError, Refusal
from seed_data.project import Profile

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RANDOM_SEED = 42
MAX_RANDOM_SEED = 2**63 - 1  # stored as bigint in seed_ledger and seed_runs
DEFAULT_LOCK_TIMEOUT = 60.0
MAX_LOCK_TIMEOUT = 86_400.0  # a day: longer is a typo, not a plan
ENVIRONMENTS = ("development", "test", "staging", "production")
LOG_FORMATS = ("text", "json")
X_OPTIONS = ("profile", "random_seed", "dry_run", "confirm")
_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")
_INTEGER = re.compile(r"[+-]?[0-9]+")


class EnvironmentUnknown(Refusal):
    """Seeding where the environment is a Railway name this tool does not know."""


@dataclass(frozen=True)
class Settings:
    database_url: URL | None  # None: the embedded PostgreSQL in .pgdata/
    # development, test, staging or production; None when RAILWAY_ENVIRONMENT_NAME names
    # another environment (a PR environment) and SEED_ENV is not set
    environment: str | None
    environment_source: str  # "SEED_ENV", "RAILWAY_ENVIRONMENT_NAME" or "default"
    profile: Profile
    random_seed: int
    dry_run: bool
    lock_timeout: float
    allow_production: str | None = None  # must equal the target database's name
    # True: loads keep foreign keys and indexes in place; None: by environment (run.py)
    load_in_place: bool | None = None
    log_format: str = "text"
    # whether the profile / random seed were asked for (-x, variable, .env) or defaulted
    profile_given: bool = False
    random_seed_given: bool = False
    railway_environment: str | None = None  # RAILWAY_ENVIRONMENT_NAME as Railway set it
    # -x confirm or SEED_CONFIRM: the name of the database a destructive command (a seed
    # downgrade in staging or production, mask) may change
    confirm_database: str | None = None
    # SEED_BACKUP: a downgrade in development or test writes a backup too (staging and
    # production always do); SEED_BACKUP_DIR: where backups go (default seed-backups/)
    backup: bool = False
    backup_dir: Path | None = None

    def known_environment(self) -> str:
        """The environment, for work that depends on it (seeding, masking)."""
        if self.environment is not None:
            return self.environment
        raise EnvironmentUnknown(
            f"RAILWAY_ENVIRONMENT_NAME={self.railway_environment!r} is not one of "
            f"{', '.join(ENVIRONMENTS)}, and SEED_ENV is not set: set SEED_ENV for this "
            "Railway environment (SEED_ENV=staging in the base environment carries over "
            "to its PR environments)"
        )


class DotenvError(ConfigurationError):
    """The project's .env cannot be read."""


def _read_dotenv(path: Path) -> dict[str, str]:
    """The file's variables, or one line naming the file and the line that is wrong. A
    value is never quoted back: it may be a password."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise DotenvError(f"{path} cannot be read ({error.strerror}): fix or remove it") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DotenvError(f"{path} line {line} is not UTF-8 text: save the file as UTF-8") from None
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            raise DotenvError(
                f"{path} line {binding.original.line} cannot be parsed (an unterminated "
                "quote?): write it as NAME=value and quote a value with both quotes"
            )
    values = dotenv_values(stream=io.StringIO(text))
    return {key: value for key, value in values.items() if value is not None}


def load_environment(
    project_root: Path = PROJECT_ROOT, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The process environment over the project's `.env` (real variables win)."""
    values = _read_dotenv(project_root / ".env")
    values.update(os.environ if environ is None else environ)
    return values


def _given(raw: str | None) -> str | None:
    """A value as typed, or None when it is absent or blank (blank means not set)."""
    if raw is None:
        return None
    stripped = raw.strip()
    return stripped or None


def parse_bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigurationError(
        f"{name}={raw!r} is not a boolean: use true or false (also 1/0, yes/no, on/off)"
    )


def bool_setting(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    """A boolean variable: unset or blank gives the default."""
    raw = _given(env.get(name))
    return default if raw is None else parse_bool(name, raw)


def parse_name(name: str, raw: str, allowed: tuple[str, ...], what: str) -> str:
    value = raw.strip().lower()
    if value not in allowed:
        raise ConfigurationError(f"{name}={raw!r} is not {what}: use one of {', '.join(allowed)}")
    return value


def parse_random_seed(name: str, raw: str) -> int:
    text = raw.strip()
    value = int(text) if _INTEGER.fullmatch(text) else None
    if value is None or not 0 <= value <= MAX_RANDOM_SEED:
        raise ConfigurationError(
            f"{name}={raw!r} is not an integer from 0 to {MAX_RANDOM_SEED}: use e.g. {name}=7"
        )
    return value


def parse_lock_timeout(raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 <= value <= MAX_LOCK_TIMEOUT):
        raise ConfigurationError(
            f"SEED_LOCK_TIMEOUT={raw!r} is not a number of seconds from 0 to "
            f"{MAX_LOCK_TIMEOUT:g}: use e.g. SEED_LOCK_TIMEOUT=60"
        )
    return value


def parse_environment(env: Mapping[str, str]) -> tuple[str | None, str, str | None]:
    """(environment, where it came from, Railway's own name)."""
    railway = _given(env.get("RAILWAY_ENVIRONMENT_NAME"))
    seed_env = _given(env.get("SEED_ENV"))
    if seed_env is not None:
        value = parse_name("SEED_ENV", seed_env, ENVIRONMENTS, "an environment")
        return value, "SEED_ENV", railway
    if railway is not None:
        # Railway names environments freely (pr-123, preview): migrating the schema
        # needs no environment, seeding asks for SEED_ENV (Settings.known_environment).
        lowered = railway.lower()
        known = lowered if lowered in ENVIRONMENTS else None
        return known, "RAILWAY_ENVIRONMENT_NAME", railway
    return "development", "default", None


def on_railway(env: Mapping[str, str]) -> bool:
    return any(name.startswith("RAILWAY_") for name in env)


def _database_url(env: Mapping[str, str], given: str | None, environment: str | None) -> URL | None:
    if given is not None:
        try:
            return parse_database_url(given)
        except ConfigurationError as error:
            raise ConfigurationError(str(error).replace("DATABASE_URL", "--database-url")) from None
    raw = _given(env.get("DATABASE_URL"))
    if raw is not None:
        return parse_database_url(raw)
    # The embedded server is a developer's convenience. Anywhere else a missing URL is a
    # mistake, and migrating a throwaway database would let a deploy go live unmigrated.
    if environment in ("staging", "production") or environment is None or on_railway(env):
        where = (
            f"the environment is {environment}"
            if environment in ("staging", "production")
            else "this runs on Railway (RAILWAY_* variables are set)"
        )
        raise ConfigurationError(
            f"DATABASE_URL is not set, and {where}: the embedded PostgreSQL serves "
            "development and test only. Set DATABASE_URL to the app's database."
        )
    return None


def resolve_settings(
    x_args: Mapping[str, str], env: Mapping[str, str], database_url: str | None = None
) -> Settings:
    """`database_url`: a command's --database-url, which beats DATABASE_URL."""
    unknown = sorted(set(x_args) - set(X_OPTIONS))
    if unknown:
        raise ConfigurationError(
            f"unknown -x option {unknown[0]!r}: use " + ", ".join(f"-x {o}=..." for o in X_OPTIONS)
        )
    environment, source, railway = parse_environment(env)

    profile_name, profile_source = _given(x_args.get("profile")), "-x profile"
    if profile_name is None:
        profile_name, profile_source = _given(env.get("SEED_PROFILE")), "SEED_PROFILE"
    profiles = project.current().profiles
    profile = profiles[
        parse_name(profile_source, profile_name, tuple(profiles), "a seed profile")
        if profile_name is not None
        else project.current().default_profile
    ]

    seed_raw, seed_source = _given(x_args.get("random_seed")), "-x random_seed"
    if seed_raw is None:
        seed_raw, seed_source = _given(env.get("SEED_RANDOM_SEED")), "SEED_RANDOM_SEED"
    random_seed = (
        parse_random_seed(seed_source, seed_raw) if seed_raw is not None else DEFAULT_RANDOM_SEED
    )

    dry_run_raw = _given(x_args.get("dry_run"))
    lock_raw = _given(env.get("SEED_LOCK_TIMEOUT"))
    load_raw = _given(env.get("SEED_LOAD_IN_PLACE"))
    log_raw = _given(env.get("SEED_LOG_FORMAT"))
    backup_raw = _given(env.get("SEED_BACKUP"))
    backup_dir_raw = _given(env.get("SEED_BACKUP_DIR"))
    return Settings(
        database_url=_database_url(env, _given(database_url), environment),
        environment=environment,
        environment_source=source,
        profile=profile,
        random_seed=random_seed,
        dry_run=parse_bool("-x dry_run", dry_run_raw) if dry_run_raw is not None else False,
        lock_timeout=parse_lock_timeout(lock_raw) if lock_raw is not None else DEFAULT_LOCK_TIMEOUT,
        allow_production=_given(env.get("SEED_ALLOW_PRODUCTION")),
        load_in_place=parse_bool("SEED_LOAD_IN_PLACE", load_raw) if load_raw is not None else None,
        log_format=parse_name("SEED_LOG_FORMAT", log_raw, LOG_FORMATS, "a log format")
        if log_raw is not None
        else "text",
        profile_given=profile_name is not None,
        random_seed_given=seed_raw is not None,
        railway_environment=railway,
        confirm_database=_given(x_args.get("confirm")) or _given(env.get("SEED_CONFIRM")),
        backup=parse_bool("SEED_BACKUP", backup_raw) if backup_raw is not None else False,
        backup_dir=Path(backup_dir_raw).expanduser() if backup_dir_raw is not None else None,
    )


def target_url(settings: Settings, project_root: Path = PROJECT_ROOT) -> URL:
    """The database a command works on: the URL the settings name, else the embedded
    PostgreSQL (which resolve_settings allows only in development and test)."""
    if settings.database_url is not None:
        return settings.database_url
    return embedded_database_url(project_root)


def readable_log_format(env: Mapping[str, str]) -> str:
    """SEED_LOG_FORMAT as the settings would resolve it, or text when it cannot be read
    (the FAILED line then says why): for output printed before, or instead of, settings."""
    try:
        raw = env.get("SEED_LOG_FORMAT", "").strip()
        return parse_name("SEED_LOG_FORMAT", raw, LOG_FORMATS, "a log format") if raw else "text"
    except ConfigurationError:
        return "text"
