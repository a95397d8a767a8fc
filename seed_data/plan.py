"""What this Alembic invocation is about to do, read before it does it, so a multi-revision
downgrade can be refused as a whole before its first revision commits."""

from alembic.runtime.migration import MigrationContext


def seed_revisions_to_undo(migration_context: MigrationContext) -> list[str]:
    """Ids of the seed revisions this run will downgrade, newest first.

    Alembic has no public API for the plan: `_migrations_fn` is the step function the
    command passed in (`alembic.command.upgrade`/`downgrade`), a pure computation over
    the revision map. Commands that show rather than migrate (`current`) pass no
    destination and are skipped, since their step function prints.
    """
    environment = migration_context.environment_context
    if environment is None or environment.context_opts.get("destination_rev") is None:
        return []
    steps_for = migration_context._migrations_fn
    if steps_for is None:
        return []
    heads = migration_context.get_current_heads()
    return [
        step.revision.revision
        for step in steps_for(heads, migration_context)
        if not step.is_upgrade and step.revision.revision.startswith("seed_")
    ]
