"""`alembic revision`: a new revision gets the next id of its branch (`schema_00NN`,
`seed_00NN`) rather than a random one, and on the seed branch a body that already calls
the seeding helpers (migrations/script.py.mako). Wired in as env.py's
`process_revision_directives`; `--rev-id` still wins."""

import re

from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from seed_data.plan import SEED_BRANCH, revision_command_args
from seed_data.seeding import Seeder, seeders_of

BRANCHES = ("schema", SEED_BRANCH)


def branch_of(script: ScriptDirectory, head: str | None) -> str | None:
    """The branch a new revision built on `head` joins, if it is one of ours."""
    try:
        parents = script.get_revisions(head or "head")
    except CommandError:  # several heads and none named: Alembic says so itself
        return None
    labels = {label for parent in parents if parent is not None for label in parent.branch_labels}
    return next((branch for branch in BRANCHES if branch in labels), None)


def next_id(script: ScriptDirectory, branch: str) -> str:
    pattern = re.compile(rf"{branch}_(\d+)")
    numbers = [
        int(found.group(1))
        for revision in script.walk_revisions()
        if (found := pattern.fullmatch(revision.revision))
    ]
    return f"{branch}_{max(numbers, default=0) + 1:04d}"


def name_new_revision(
    context: MigrationContext, revision: object, directives: list[MigrationScript]
) -> None:
    script = context.script
    environment = context.environment_context
    if script is None or environment is None:
        return
    given_id = revision_command_args(environment).get("rev_id")
    for directive in directives:
        branch = branch_of(script, directive.head)
        if branch is None:
            continue
        if not given_id:
            directive.rev_id = next_id(script, branch)
        if branch == SEED_BRANCH:
            context.opts["template_args"]["seed_revision"] = True


def seeders(script: ScriptDirectory) -> list[Seeder]:
    """The seed branch's seeders, in revision order, found in each revision by what they
    are (like the preflight finds them)."""
    revisions = reversed(list(script.walk_revisions("base", f"{SEED_BRANCH}@head")))
    return [
        seeder
        for revision in revisions
        if SEED_BRANCH in revision.branch_labels
        for seeder in seeders_of(revision.module)
    ]


def seeded_tables(script: ScriptDirectory) -> tuple[str, ...]:
    """The tables the seed branch writes, in revision order, read from its seeders."""
    names = (table.name for seeder in seeders(script) for table in seeder.TABLES)
    return tuple(dict.fromkeys(names))
