"""What this Alembic invocation is about to do, read before it does it: every revision
commits on its own, so checks that must cover a whole run (a downgrade's outside
references, schema drift, the production gate) run against this plan first."""

from dataclasses import dataclass
from types import ModuleType

from alembic.runtime.migration import MigrationContext

SEED_PREFIX = "seed_"


@dataclass(frozen=True)
class Step:
    revision: str
    is_upgrade: bool
    module: ModuleType

    @property
    def is_seed(self) -> bool:
        return self.revision.startswith(SEED_PREFIX)


def planned_steps(migration_context: MigrationContext) -> list[Step]:
    """The steps `run_migrations` will take, in order.

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
        Step(step.revision.revision, step.is_upgrade, step.revision.module)
        for step in steps_for(heads, migration_context)
    ]
