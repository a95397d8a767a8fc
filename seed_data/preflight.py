"""Checks that cover a whole run, made before its first revision commits: the production
gate, outside references to rows a downgrade would delete, and schema drift."""

import sqlalchemy as sa

from seed_data import drift, environment, rollback
from seed_data.plan import Step
from seed_data.run import SeedRun


def check(connection: sa.Connection, run: SeedRun, steps: list[Step]) -> None:
    run.steps, run.planned = steps, True
    run.database = str(connection.scalar(sa.text("select current_database()")))
    seed_steps = [step for step in steps if step.is_seed]
    if not seed_steps:
        return
    run.environment = environment.require_permission(connection, run.settings)
    undo = [step.revision for step in seed_steps if not step.is_upgrade]
    if undo:
        rollback.refuse_if_referenced(connection, undo)
    # When the run also migrates the schema, the tables change under it: each seed
    # revision then checks drift itself, just before it writes.
    if all(step.is_seed or not step.is_upgrade for step in steps):
        upgrades = [step for step in seed_steps if step.is_upgrade]
        problems = [
            problem
            for step in upgrades
            if (seeder := getattr(step.module, "seeder", None)) is not None
            for problem in drift.check_tables(connection, seeder.TABLES)
        ]
        if problems:
            raise drift.SchemaDrift(", ".join(step.revision for step in upgrades), problems)
