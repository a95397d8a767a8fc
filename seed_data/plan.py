"""What this Alembic invocation is about to do, read before it does it.

Every revision commits on its own, so the checks that must cover a whole run (the
production gate, a downgrade's outside references, schema drift) run against this plan
first. What counts as a seed revision is its place on the `seed` branch (the branch label
and everything that descends from the revision carrying it), never its id.

Alembic has no public API for the command being run or its steps. The functions that read
its internals (`environment_context`, `command_options`, `_steps_for`) are the only places
that do, and tests/test_alembic_commands.py fails if Alembic changes them."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from types import ModuleType
from typing import Any

import alembic.context
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext, RevisionStep
from alembic.script import Script, ScriptDirectory

SEED_BRANCH = "seed"


class CommandKind(Enum):
    MIGRATE = "migrate"  # upgrade, downgrade, stamp: changes what is applied
    INSPECT = "inspect"  # current, history -i, show current, ensure_version, merge
    REVISION = "revision"  # alembic revision: writes a file, needs no database
    AUTOGENERATE = "autogenerate"  # alembic check, revision --autogenerate


def environment_context() -> EnvironmentContext:
    """The EnvironmentContext env.py runs in (`alembic.context` proxies its methods only)."""
    environment: EnvironmentContext = alembic.context._proxy  # type: ignore[attr-defined]
    return environment


def command_options(environment: EnvironmentContext) -> Mapping[str, Any]:
    """The options the Alembic command handed to env.py (destination, purge, ...)."""
    options: Mapping[str, Any] = environment.context_opts
    return options


def command_kind(environment: EnvironmentContext) -> CommandKind:
    options = command_options(environment)
    revision_context = options.get("revision_context")
    if revision_context is not None:
        if revision_context.command_args.get("autogenerate"):
            return CommandKind.AUTOGENERATE
        return CommandKind.REVISION
    if options.get("destination_rev") is not None:
        return CommandKind.MIGRATE
    return CommandKind.INSPECT


def revision_command_args(environment: EnvironmentContext) -> Mapping[str, Any]:
    """`alembic revision`'s own arguments (--rev-id, --head, ...)."""
    revision_context = command_options(environment).get("revision_context")
    args: Mapping[str, Any] = revision_context.command_args if revision_context else {}
    return args


def is_seed_revision(script: ScriptDirectory, revision: str) -> bool:
    """On the seed branch: Alembic gives every descendant of the revision that declares
    the `seed` label that label too."""
    found = script.get_revision(revision)
    return found is not None and SEED_BRANCH in found.branch_labels


def applied_revisions(script: ScriptDirectory, heads: Iterable[str]) -> set[str]:
    """Every revision a database at `heads` has applied: the heads and all they rest on,
    parents and dependencies alike."""
    applied: set[str] = set()
    pending = list(heads)
    while pending:
        found: Script | None = script.get_revision(pending.pop())
        if found is None or found.revision in applied:
            continue
        applied.add(found.revision)
        for parents in (found.down_revision, found.dependencies):
            if parents is None:
                continue
            pending.extend((parents,) if isinstance(parents, str) else parents)
    return applied


@dataclass(frozen=True)
class Step:
    """One step of the plan: a revision run up or down, or a stamp that only moves
    alembic_version (`revisions` then holds where it moves from and to)."""

    revisions: tuple[str, ...]
    is_upgrade: bool
    is_seed: bool
    module: ModuleType | None = None  # the revision file, for a step that runs one

    @property
    def is_stamp(self) -> bool:
        return self.module is None

    @property
    def revision(self) -> str:
        return self.revisions[-1] if self.revisions else "base"


def _steps_for(migration_context: MigrationContext, heads: tuple[str, ...]) -> list[Any]:
    """The step function the command passed in (`alembic.command.upgrade`, `downgrade`,
    `stamp`): a pure computation over the revision map."""
    steps_for = migration_context._migrations_fn
    return [] if steps_for is None else list(steps_for(heads, migration_context))


def planned_steps(migration_context: MigrationContext, script: ScriptDirectory) -> list[Step]:
    """The steps `run_migrations` will take, in order (empty for a command that does not
    migrate)."""
    environment = migration_context.environment_context
    if environment is None or command_kind(environment) is not CommandKind.MIGRATE:
        return []
    current = migration_context.get_current_heads()
    # --purge empties alembic_version before the steps are computed, and is itself a
    # stamp (to nothing) when the steps would not otherwise change anything.
    purge = bool(command_options(environment).get("purge"))
    steps = []
    for step in _steps_for(migration_context, () if purge else current):
        if isinstance(step, RevisionStep):
            revisions: tuple[str, ...] = (step.revision.revision,)
            module = step.revision.module
        else:
            info = step.info
            revisions = tuple(
                dict.fromkeys((*info.source_revision_ids, *info.destination_revision_ids))
            )
            module = None
        steps.append(_step(script, revisions, bool(step.is_upgrade), module))
    if purge and current and not steps:
        steps.append(_step(script, current, False, None))
    return steps


def _step(
    script: ScriptDirectory, revisions: tuple[str, ...], is_upgrade: bool, module: ModuleType | None
) -> Step:
    is_seed = any(is_seed_revision(script, revision) for revision in revisions)
    return Step(revisions=revisions, is_upgrade=is_upgrade, is_seed=is_seed, module=module)
