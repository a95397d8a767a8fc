"""Alembic environment for TERP's two branches, `schema` and `seed`.

Settings are resolved once (seed_data.settings). What happens next depends on the command:

- upgrade, downgrade, stamp migrate: the run takes the seeding lock before Alembic reads
  the current heads, checks the whole plan before anything is written (production gate,
  the dataset the database holds, references to rows a downgrade would delete, schema
  drift), then runs each revision in its own transaction, committed together with its
  alembic_version row. A dry run does all of it inside one transaction that is rolled
  back. Every migrating run is audited (seed_runs), whatever its outcome.
- current, history -i and the like only read: no lock, no audit row.
- revision writes a file and needs no database; check and --autogenerate are refused.

From the `alembic` command line, a failure is one `FAILED:` line on stderr, and Ctrl-C or
SIGTERM ends the run with one line and exit code 130 or 143."""

from collections.abc import Collection, Mapping
from logging.config import fileConfig
from typing import Any

import sqlalchemy as sa
from alembic import context
from alembic.runtime.environment import OnVersionApplyFn
from alembic.runtime.migration import MigrationContext, MigrationInfo
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from seed_data import audit, output, preflight, project, seeding, stamping
from seed_data.database import connect, create_engine
from seed_data.environment import require_confirmation, require_permission
from seed_data.errors import SeedError
from seed_data.locking import seeding_lock
from seed_data.output import run_as_command
from seed_data.plan import (
    CommandKind,
    command_kind,
    environment_context,
    is_seed_revision,
    planned_steps,
)
from seed_data.revisions import name_new_revision
from seed_data.run import ATTRIBUTE, SeedRun
from seed_data.settings import (
    Settings,
    load_environment,
    readable_log_format,
    resolve_settings,
    target_url,
)
from terp.project import PROJECT

# The app this repository seeds: its tables, rules and PII, handed to the engine.
project.use(PROJECT)
config = context.config
logging_from_ini = config.config_file_name is not None and config.attributes.get(
    "configure_logger", True
)
if logging_from_ini:
    fileConfig(config.config_file_name, disable_existing_loggers=False)  # type: ignore[arg-type]
quiet = bool(getattr(config.cmd_opts, "quiet", False))


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
    return connect(create_engine(target_url(settings)))


def close(connection: sa.Connection) -> None:
    if connection is not config.attributes.get("connection"):
        connection.close()


def destination() -> str | None:
    revision = context.get_revision_argument()
    if revision is None or isinstance(revision, str):
        return revision
    return ", ".join(revision)  # a stamp may name several


def targets_seed(script: ScriptDirectory) -> bool:
    """Whether the command's destination lies on the seed branch (seed@head, heads)."""
    destination = context.get_revision_argument()
    names = (destination,) if isinstance(destination, str) else tuple(destination or ())
    try:
        return any(is_seed_revision(script, name) for name in names)
    except CommandError:  # a relative or unknown destination: the plan has already said
        return False


def write_revision() -> None:
    """`alembic revision`: names the new file and gives it a body (seed_data.revisions).
    Offline, so that writing a revision file never needs a database."""
    context.configure(
        dialect_name="postgresql", as_sql=True, process_revision_directives=name_new_revision
    )
    context.run_migrations()


def inspect(settings: Settings) -> None:
    """current, history -i and the like: they read alembic_version, nothing more."""
    connection = open_connection(settings)
    try:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    finally:
        close(connection)


def gate_each_step(run: SeedRun) -> OnVersionApplyFn:
    """Alembic calls this inside each step's transaction, before it commits: the
    production gate (and a downgrade's confirmation) once more for seed steps,
    hand-written ones included."""
    script = context.script

    def check(
        ctx: MigrationContext,
        step: MigrationInfo,
        heads: Collection[Any],
        run_args: Mapping[str, Any],
    ) -> None:
        involved = (*step.up_revision_ids, *step.down_revision_ids)
        if any(is_seed_revision(script, revision) for revision in involved):
            bind = context.get_bind()
            effective = require_permission(bind, run.settings, "change seed data in")
            if not step.is_upgrade and not step.is_stamp:  # a hand-written one included
                require_confirmation(bind, run.settings, effective, list(step.up_revision_ids))
        if len(run.completed) < len(run.steps):
            run.completed.append(run.steps[len(run.completed)])

    return check


def configure(connection: sa.Connection, run: SeedRun, per_migration: bool) -> MigrationContext:
    context.configure(
        connection=connection,
        transactional_ddl=True,
        transaction_per_migration=per_migration,
        on_version_apply=gate_each_step(run),
    )
    return context.get_context()


def run_migrations(connection: sa.Connection, run: SeedRun) -> None:
    script = context.script
    planning = configure(connection, run, per_migration=True)
    heads = planning.get_current_heads()
    steps = planned_steps(planning, script)
    preflight.check(connection, run, steps, heads, targets_seed(script))
    upgrading = [step.module for step in steps if step.is_upgrade and step.module]
    seeding.prepare(run.settings, upgrading)
    # The reads above began a transaction. Alembic must be configured outside one, or it
    # treats the work as external and commits nothing.
    connection.rollback()
    # A stamp only moves alembic_version: one transaction, so that the check of its end
    # state against the ledger can undo the whole of it.
    stamping_only = bool(steps) and all(step.is_stamp for step in steps)

    def run_steps(migration_context: MigrationContext) -> None:
        with context.begin_transaction():
            context.run_migrations()
            if stamping_only:
                end_state = migration_context.get_current_heads()
                stamping.check_ledger_agrees(connection, script, end_state)

    if run.settings.dry_run:
        # Configured inside an outer transaction, Alembic treats the run as external: it
        # neither begins nor commits per revision, and rolling it back undoes everything.
        with connection.begin() as outer:
            run_steps(configure(connection, run, per_migration=True))
            outer.rollback()
    else:
        run_steps(configure(connection, run, per_migration=not stamping_only))


def migrate(settings: Settings) -> None:
    run = config.attributes[ATTRIBUTE] = SeedRun(settings)
    connection = open_connection(settings)
    try:
        # recorded outermost: a run that never got the lock is audited too
        with (
            audit.recorded(connection, run, destination()),
            seeding_lock(connection, settings.lock_timeout),
        ):
            run_migrations(connection, run)
    finally:
        close(connection)
    if quiet:
        return
    if not run.steps:
        output.say(run.nothing_to_do(), event="seed_nothing_to_do")
    elif (run.revisions or settings.dry_run) and settings.log_format == "text":
        print(run.summary(), flush=True)


def run_migrations_online() -> None:
    kind = command_kind(environment_context())
    if kind is CommandKind.AUTOGENERATE:
        raise SeedError(
            "alembic check and revision --autogenerate compare models with the database, "
            "and this project has none: both branches are written by hand. Write a revision "
            "with `alembic revision -m MESSAGE --head seed@head` (or schema@head); "
            "`alembic current` shows where the database is."
        )
    if kind is CommandKind.REVISION:
        if logging_from_ini:
            output.configure("text", quiet)
        write_revision()
        return
    env = load_environment()
    try:
        settings = resolve_settings(context.get_x_argument(as_dictionary=True), env)
    except SeedError as refusal:
        if logging_from_ini:  # before the audit logs its event: one FAILED line, nothing else
            output.configure(readable_log_format(env), quiet)
        if kind is CommandKind.MIGRATE:
            audit.record_unusable_settings(env, refusal, "alembic")
        raise
    if logging_from_ini:
        output.configure(settings.log_format, quiet)
    if kind is CommandKind.INSPECT:
        inspect(settings)
    else:
        migrate(settings)


def main() -> None:
    if context.is_offline_mode() and command_kind(environment_context()) is not (
        CommandKind.REVISION
    ):
        run_migrations_offline()
    else:
        run_migrations_online()


def after_interrupt() -> str:
    run = config.attributes.get(ATTRIBUTE)
    if not isinstance(run, SeedRun) or not run.planned:
        return "nothing was written."
    if run.settings.dry_run:
        return "a dry run; nothing was written."
    in_flight = run.in_flight
    stopped = f"{in_flight.revision} was rolled back" if in_flight else "nothing was in flight"
    return (
        f"{stopped}; revisions that finished before it stay committed (`alembic current` "
        "shows where the database is). Run the same command again to go on."
    )


run_as_command(config, main, after_interrupt)
