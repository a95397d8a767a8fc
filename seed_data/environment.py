"""Which environment a database belongs to, and the production gate.

The variable (`SEED_ENV`, else `RAILWAY_ENVIRONMENT_NAME`, else development) is what the
caller believes; the database also remembers what it is: the schema branch stamps
`seed_environment` on its first upgrade. The stricter of the two wins, so a production
database copied into a laptop's settings is still production. Seeding a production
database needs two keys: the environment says production and SEED_ALLOW_PRODUCTION names
this very database."""

import getpass
import socket

import sqlalchemy as sa

from seed_data.errors import ConfigurationError, Refusal
from seed_data.settings import ENVIRONMENTS, Settings

STAMP_TABLE = "seed_environment"


class ProductionRefused(Refusal):
    """Seeding a production database without both keys."""


def stamped_environment(connection: sa.Connection) -> str | None:
    exists = connection.scalar(sa.text(f"select to_regclass('{STAMP_TABLE}') is not null"))
    if not exists:
        return None
    value = connection.scalar(sa.text(f"select environment from {STAMP_TABLE} where id = 1"))
    return str(value) if value is not None else None


def stricter(first: str, second: str | None) -> str:
    if second is None:
        return first
    return max(first, second, key=ENVIRONMENTS.index)


def who() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # containers without a passwd entry
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def stamp(connection: sa.Connection, environment: str) -> None:
    """Record (or deliberately change) the database's environment."""
    if environment not in ENVIRONMENTS:
        raise ConfigurationError(
            f"{environment!r} is not an environment: use one of {', '.join(ENVIRONMENTS)}"
        )
    connection.execute(
        sa.text(
            f"insert into {STAMP_TABLE} (id, environment, stamped_at, stamped_by) "
            "values (1, :environment, now(), :by) on conflict (id) do update "
            "set environment = excluded.environment, stamped_at = excluded.stamped_at, "
            "stamped_by = excluded.stamped_by"
        ),
        {"environment": environment, "by": who()},
    )


def require_permission(connection: sa.Connection, settings: Settings, action: str = "seed") -> str:
    """The effective environment; refuses production without both keys. `action` says
    what is refused: "seed", "undo seed data in", "stamp seed revisions in"."""
    stamped = stamped_environment(connection)
    effective = stricter(settings.known_environment(), stamped)
    if effective != "production":
        return effective
    database = str(connection.scalar(sa.text("select current_database()")))
    if settings.allow_production == database:
        return effective
    reason = (
        f"{settings.environment_source} says production"
        if settings.environment == "production"
        else "the database is stamped production (table seed_environment)"
    )
    if settings.allow_production:
        hint = "SEED_ALLOW_PRODUCTION is set, but not to this database's name"
    else:
        hint = "SEED_ALLOW_PRODUCTION is not set"
    raise ProductionRefused(
        f"refusing to {action} production database {database!r}: {reason} and {hint}. "
        f"If you really mean it, set SEED_ALLOW_PRODUCTION={database}."
    )
