"""Checks that cover a whole run, made before its first revision commits: the production
gate, the dataset the database already holds, outside references to rows a downgrade would
delete, and schema drift."""

import dataclasses

import sqlalchemy as sa

from seed_data import backup, drift, environment, ledger, project, rollback
from seed_data.errors import Refusal
from seed_data.plan import Step
from seed_data.run import SeedRun, dataset
from seed_data.seeding import seeders_of


class DatasetMismatch(Refusal):
    """A run asks for another profile or random seed than the database holds."""


def check(
    connection: sa.Connection,
    run: SeedRun,
    steps: list[Step],
    heads: tuple[str, ...],
    targets_seed: bool = False,
) -> None:
    """Check the whole run before anything is written, and record on `run` what was found:
    the steps, the database, its datasets and environment, and the dataset the run will
    write (a profile or random seed nobody asked for follows the database). `run` is the
    one record of the invocation: the seed revisions read their settings from it and the
    audit row (audit.recorded) reports it, so a run refused here is reported with what
    the preflight had learned by then.

    `targets_seed`: the command names a seed revision (seed@head, heads), so that a run
    with nothing to do still checks the dataset it was asked for."""
    run.steps, run.planned, run.heads = steps, True, heads
    run.database = str(connection.scalar(sa.text("select current_database()")))
    run.datasets = ledger.datasets(connection)
    seed_steps = [step for step in steps if step.is_seed]
    upgrades = [step for step in seed_steps if step.is_upgrade and not step.is_stamp]
    if upgrades or (targets_seed and not steps):
        match_dataset(run)
    if not seed_steps:
        return
    if all(step.is_stamp for step in seed_steps):
        action = "stamp seed revisions in"
    elif upgrades:
        action = "seed"
    else:
        action = "undo seed data in"
    run.environment = environment.require_permission(connection, run.settings, action)
    undoing = [step for step in seed_steps if not step.is_upgrade and not step.is_stamp]
    if undoing:
        revisions = [step.revision for step in undoing]
        environment.require_confirmation(connection, run.settings, run.environment, revisions)
    for step in undoing:
        seeders = seeders_of(step.module) if step.module is not None else []
        declared = {table.name for seeder in seeders for table in seeder.TABLES}
        rollback.refuse_foreign_tables(connection, step.revision, declared)
    if undoing:
        rollback.refuse_if_referenced(connection, [step.revision for step in undoing])
        if backup.wanted(run.settings, run.environment):
            # last of the checks, so that a refused downgrade writes nothing
            if run.settings.dry_run:
                run.backup_planned = str(backup.directory(run.settings))
            else:
                last = undoing[-1].module
                after = getattr(last, "down_revision", None) if last is not None else None
                run.backup = backup.write(
                    connection,
                    run.settings,
                    [step.revision for step in undoing],
                    heads,
                    after=[after] if isinstance(after, str) else list(after or ()),
                )
    # When the run also migrates the schema, the tables change under it: each seed
    # revision then checks drift itself, just before it writes.
    if all(step.is_seed or not step.is_upgrade for step in steps):
        drifted: dict[str, list[str]] = {}
        for step in upgrades:
            for seeder in seeders_of(step.module) if step.module is not None else ():
                for problem in drift.check_tables(connection, seeder.TABLES):
                    drifted.setdefault(step.revision, []).append(problem)
        if drifted:
            problems = [problem for found in drifted.values() for problem in found]
            unique = sorted(set(problems), key=problems.index)
            raise drift.SchemaDrift(", ".join(drifted), unique)


def match_dataset(run: SeedRun) -> None:
    """One database holds one dataset. A profile or random seed nobody asked for follows
    the database; one asked for (-x, a variable, .env) must match it."""
    if len(run.datasets) != 1:
        if run.datasets and (run.settings.profile_given or run.settings.random_seed_given):
            raise DatasetMismatch(
                f"database {run.database!r} holds seed data of several datasets "
                f"({run.holdings().removeprefix('it holds seed data of ')}): reseed it with "
                "`alembic downgrade seed@base`, then `alembic upgrade seed@head`"
            )
        return
    ((profile, random_seed),) = run.datasets
    settings = run.settings
    asked = []
    if settings.profile_given and settings.profile.name != profile:
        asked.append(f"profile {settings.profile.name}")
    if settings.random_seed_given and settings.random_seed != random_seed:
        asked.append(f"random seed {settings.random_seed}")
    if asked:
        options = []
        if settings.profile_given:
            options.append(f"-x profile={settings.profile.name} ")
        if settings.random_seed_given:
            options.append(f"-x random_seed={settings.random_seed} ")
        raise DatasetMismatch(
            f"database {run.database!r} holds seed data of {dataset(profile, random_seed)}, "
            f"and this run asks for {' and '.join(asked)}: to reseed, run "
            f"`alembic downgrade seed@base` first, then "
            f"`alembic {''.join(options)}upgrade seed@head`"
        )
    profiles = project.current().profiles
    if profile in profiles:
        run.settings = dataclasses.replace(
            settings, profile=profiles[profile], random_seed=random_seed
        )
