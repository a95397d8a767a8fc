"""Alembic environment for TERP's two branches, `schema` and `seed`.

Settings are resolved once (seed_data.settings). The run takes the seeding lock before
Alembic reads the current heads, checks the whole plan before anything is written
(production gate, references to rows a downgrade would delete, schema drift), then runs
each revision in its own transaction, committed together with its alembic_version row.
A dry run does all of it inside one transaction that is rolled back. Every migrating run
is audited (seed_runs), whatever its outcome."""

from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context

from seed_data import audit, preflight
from seed_data.database import connect, create_engine, embedded_database_url
from seed_data.errors import SeedError
from seed_data.locking import seeding_lock
from seed_data.plan import planned_steps
from seed_data.run import ATTRIBUTE, SeedRun
from seed_data.settings import PROJECT_ROOT, Settings, load_environment, resolve_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def run_migrations_offline() -> None:
    raise SeedError(
        "offline mode (--sql) is not supported: seed revisions read the live database. "
        "Use -x dry_run=true to see what a run would do without keeping it."
    )


def open_connection(settings: Settings) -> sa.Connection:
    given = config.attributes.get("connection")  # a test harness (pytest-alembic) may pass one
    if isinstance(given, sa.Connection):
        return given
    if isinstance(given, sa.Engine):
        return connect(given)
    url = settings.database_url or embedded_database_url(PROJECT_ROOT)
    return connect(create_engine(url))


def destination() -> str | None:
    try:
        revision = context.get_revision_argument()
    except KeyError:  # harnesses that call run_migrations without a destination
        return None
    return None if revision is None else str(revision)


def run_migrations(connection: sa.Connection, run: SeedRun) -> None:
    if run.settings.dry_run:
        # An outer transaction makes Alembic treat the run as external: it neither
        # begins nor commits per revision, and rolling it back undoes everything.
        with connection.begin() as outer:
            context.configure(connection=connection, transactional_ddl=True)
            preflight.check(connection, run, planned_steps(context.get_context()))
            with context.begin_transaction():
                context.run_migrations()
            outer.rollback()
    else:
        context.configure(connection=connection, transaction_per_migration=True)
        preflight.check(connection, run, planned_steps(context.get_context()))
        # The checks' reads began a transaction; Alembic must start from none, or it
        # treats the work as external and commits nothing (PITFALLS.md).
        connection.rollback()
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_online() -> None:
    settings = resolve_settings(context.get_x_argument(as_dictionary=True), load_environment())
    run = config.attributes[ATTRIBUTE] = SeedRun(settings)
    connection = open_connection(settings)
    try:
        with (
            seeding_lock(connection, settings.lock_timeout),
            audit.recorded(connection, run, destination()),
        ):
            run_migrations(connection, run)
    finally:
        if connection is not config.attributes.get("connection"):
            connection.close()
    if run.revisions or settings.dry_run:
        print(run.summary())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
