"""Which environment a database belongs to, and the production gate.

The variable (`SEED_ENV`, else `RAILWAY_ENVIRONMENT_NAME`, else development) is what the
caller believes; the database also remembers what it is: the schema branch stamps
`seed_environment` on its first upgrade. The stricter of the two wins, so a production
database copied into a laptop's settings is still production. Seeding a production
database needs two keys: the environment says production and SEED_ALLOW_PRODUCTION names
this very database."""

import getpass
import socket
from dataclasses import dataclass

import sqlalchemy as sa

from seed_data import ledger
from seed_data.errors import ConfigurationError, Refusal
from seed_data.settings import ENVIRONMENTS, Settings

# A seed downgrade here deletes only with the database's name typed out.
CONFIRMED_ENVIRONMENTS = ("staging", "production")

STAMP_TABLE = "seed_environment"
# Where a stamp's environment came from. Only a stated one lets `mask` run: a default is
# a guess, and a stamp from before sources were recorded (None) says nothing.
STATED_SOURCES = ("SEED_ENV", "RAILWAY_ENVIRONMENT_NAME", "stamp-environment")
SOURCES = (*STATED_SOURCES, "default")

_CREATE_STAMP_TABLE = f"""
    create table if not exists {STAMP_TABLE} (
        id smallint primary key constraint ck_seed_environment_single_row check (id = 1),
        environment varchar(20) not null constraint ck_seed_environment_environment
            check (environment in ({", ".join(f"'{name}'" for name in ENVIRONMENTS)})),
        stamped_at timestamptz not null,
        stamped_by varchar(255) not null,
        source varchar(40)
    )
"""


class ProductionRefused(Refusal):
    """Seeding a production database without both keys."""


@dataclass(frozen=True)
class Stamp:
    environment: str
    source: str | None  # one of SOURCES; None: stamped before sources were recorded

    @property
    def stated(self) -> bool:
        return self.source in STATED_SOURCES


def _has_stamp_table(connection: sa.Connection) -> bool:
    return bool(connection.scalar(sa.text(f"select to_regclass('{STAMP_TABLE}') is not null")))


def _has_source(connection: sa.Connection) -> bool:
    return bool(
        connection.scalar(
            sa.text(
                "select count(*) from pg_attribute where attrelid = to_regclass(:table) "
                "and attname = 'source' and not attisdropped"
            ),
            {"table": STAMP_TABLE},
        )
    )


def read_stamp(connection: sa.Connection) -> Stamp | None:
    if not _has_stamp_table(connection):
        return None
    source = "source" if _has_source(connection) else "null"
    row = connection.execute(
        sa.text(f"select environment, {source} from {STAMP_TABLE} where id = 1")
    ).first()
    return None if row is None else Stamp(str(row[0]), None if row[1] is None else str(row[1]))


def stamped_environment(connection: sa.Connection) -> str | None:
    found = read_stamp(connection)
    return found.environment if found is not None else None


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


def ensure_stamp_table(connection: sa.Connection) -> None:
    """For a database the schema branch did not build (TERP's own production, made by the
    app): the one table the stamp needs, as the schema branch makes it."""
    connection.execute(sa.text(_CREATE_STAMP_TABLE))


def stamp(connection: sa.Connection, environment: str, source: str) -> None:
    """Record (or deliberately change) the database's environment, and where it came
    from (`source`, one of SOURCES). A stamp table made before sources were recorded gets
    the column here: the table is the seeding system's bookkeeping, like seed_runs."""
    if environment not in ENVIRONMENTS:
        raise ConfigurationError(
            f"{environment!r} is not an environment: use one of {', '.join(ENVIRONMENTS)}"
        )
    connection.execute(
        sa.text(f"alter table {STAMP_TABLE} add column if not exists source varchar(40)")
    )
    connection.execute(
        sa.text(
            f"insert into {STAMP_TABLE} (id, environment, stamped_at, stamped_by, source) "
            "values (1, :environment, now(), :by, :source) on conflict (id) do update "
            "set environment = excluded.environment, stamped_at = excluded.stamped_at, "
            "stamped_by = excluded.stamped_by, source = excluded.source"
        ),
        {"environment": environment, "by": who(), "source": source},
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


class NotConfirmed(Refusal):
    """A seed downgrade in staging or production without the database's name typed out."""


def rows_to_delete(connection: sa.Connection, revisions: list[str]) -> dict[str, int]:
    """What undoing `revisions` deletes, per table, from the ledger, children first."""
    counts: dict[str, int] = {}
    for revision in revisions:
        for entry in ledger.entries(connection, revision):
            counts[entry.table] = counts.get(entry.table, 0) + entry.row_count
    return counts


def require_confirmation(
    connection: sa.Connection, settings: Settings, effective: str, revisions: list[str]
) -> None:
    """Rows seeded into a staging or production database (`effective`, as
    require_permission found it) are deleted only when the run names the database (-x
    confirm, SEED_CONFIRM): non-interactive, so a deploy pipeline or a script is never
    asked a question it does not expect. A wrong name is no name. A dry run deletes
    nothing and needs none."""
    if effective not in CONFIRMED_ENVIRONMENTS or settings.dry_run:
        return
    database = str(connection.scalar(sa.text("select current_database()")))
    if settings.confirm_database == database:
        return
    counts = rows_to_delete(connection, revisions)
    total = sum(counts.values())
    listed = ", ".join(f"{table} {count:,}" for table, count in counts.items()) or "no rows"
    wrong = (
        f" (-x confirm / SEED_CONFIRM names {settings.confirm_database!r})"
        if settings.confirm_database
        else ""
    )
    raise NotConfirmed(
        f"this downgrade would delete {total:,} seeded rows from {effective} database "
        f"{database!r} ({listed}){wrong}: nothing was deleted. To go on, name the "
        f"database: alembic -x confirm={database} downgrade ... (or "
        f"SEED_CONFIRM={database}); -x dry_run=true shows the same without deleting"
    )
