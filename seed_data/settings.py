"""Every setting, resolved in one place: `-x` options beat environment variables, which
beat `.env`, which beats the defaults of SPEC.md."""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values
from sqlalchemy.engine import URL

from seed_data.database import parse_database_url
from seed_data.errors import ConfigurationError
from seed_data.profiles import DEFAULT_PROFILE, Profile, get_profile

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RANDOM_SEED = 42
DEFAULT_LOCK_TIMEOUT = 60.0
ENVIRONMENTS = ("development", "test", "staging", "production")
X_OPTIONS = ("profile", "random_seed", "dry_run")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


@dataclass(frozen=True)
class Settings:
    database_url: URL | None  # None: the embedded PostgreSQL in .pgdata/
    environment: str
    profile: Profile
    random_seed: int
    dry_run: bool
    lock_timeout: float
    allow_production: str | None = None  # must equal the target database's name
    # True: loads keep foreign keys and indexes in place; None: by environment (run.py)
    load_in_place: bool | None = None


def load_environment(
    project_root: Path = PROJECT_ROOT, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The process environment over the project's `.env` (real variables win)."""
    values = {
        key: value
        for key, value in dotenv_values(project_root / ".env").items()
        if value is not None
    }
    values.update(os.environ if environ is None else environ)
    return values


def parse_bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a boolean: use true or false")


def parse_random_seed(name: str, raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not an integer: use e.g. {name}=7") from None


def parse_environment(env: Mapping[str, str]) -> str:
    name = "SEED_ENV" if env.get("SEED_ENV") else "RAILWAY_ENVIRONMENT_NAME"
    raw = env.get(name) or "development"
    value = raw.strip().lower()
    if value not in ENVIRONMENTS:
        allowed = ", ".join(ENVIRONMENTS)
        raise ConfigurationError(f"{name}={raw!r} is not an environment: use one of {allowed}")
    return value


def parse_lock_timeout(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value < 0:
        raise ConfigurationError(
            f"SEED_LOCK_TIMEOUT={raw!r} is not a number of seconds: use e.g. SEED_LOCK_TIMEOUT=60"
        )
    return value


def resolve_settings(x_args: Mapping[str, str], env: Mapping[str, str]) -> Settings:
    unknown = sorted(set(x_args) - set(X_OPTIONS))
    if unknown:
        raise ConfigurationError(
            f"unknown -x option {unknown[0]!r}: use " + ", ".join(f"-x {o}=..." for o in X_OPTIONS)
        )
    if "random_seed" in x_args:
        random_seed = parse_random_seed("-x random_seed", x_args["random_seed"])
    elif env.get("SEED_RANDOM_SEED"):
        random_seed = parse_random_seed("SEED_RANDOM_SEED", env["SEED_RANDOM_SEED"])
    else:
        random_seed = DEFAULT_RANDOM_SEED
    raw_url = env.get("DATABASE_URL", "").strip()
    return Settings(
        database_url=parse_database_url(raw_url) if raw_url else None,
        environment=parse_environment(env),
        profile=get_profile(x_args.get("profile") or env.get("SEED_PROFILE") or DEFAULT_PROFILE),
        random_seed=random_seed,
        dry_run=parse_bool("-x dry_run", x_args.get("dry_run", "false")),
        lock_timeout=parse_lock_timeout(env.get("SEED_LOCK_TIMEOUT") or str(DEFAULT_LOCK_TIMEOUT)),
        allow_production=env.get("SEED_ALLOW_PRODUCTION", "").strip() or None,
        load_in_place=parse_bool("SEED_LOAD_IN_PLACE", env["SEED_LOAD_IN_PLACE"])
        if env.get("SEED_LOAD_IN_PLACE", "").strip()
        else None,
    )
