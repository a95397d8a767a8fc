"""`alembic stamp` on the seed branch: allowed when it tells the truth about the ledger.

A stamp only rewrites alembic_version. Stamped below rows the ledger holds, those rows
would stay in the database with nothing to say a downgrade should delete them; stamped
onto the seed branch without the ledger table, the next seed revision would fail. Either
is refused, and the whole stamp rolls back. Repairing alembic_version to match the ledger
(for example `alembic stamp --purge seed@head` on a fully seeded database) works."""

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from seed_data import ledger
from seed_data.errors import Refusal
from seed_data.plan import SEED_BRANCH, applied_revisions, is_seed_revision


class StampRefused(Refusal):
    """A stamp that would make alembic_version disagree with the ledger."""


def check_ledger_agrees(
    connection: sa.Connection, script: ScriptDirectory, heads: tuple[str, ...]
) -> None:
    applied = applied_revisions(script, heads)
    orphaned = sorted(ledger.revisions(connection) - applied)
    if orphaned:
        raise StampRefused(
            f"the stamp would leave the rows of {', '.join(orphaned)} in the database while "
            "alembic_version no longer lists them, so no downgrade would delete them. Undo "
            "them with `alembic downgrade` first, or stamp a revision that includes them. "
            "Nothing was changed."
        )
    seed_applied = any(is_seed_revision(script, revision) for revision in applied)
    if seed_applied and not ledger.exists(connection):
        root = script.get_revision(SEED_BRANCH)
        first = root.revision if root is not None else SEED_BRANCH
        raise StampRefused(
            f"the seed branch keeps its ledger in seed_ledger, which {first} creates and "
            f"this database lacks: run `alembic upgrade {first}` instead of stamping it. "
            "Nothing was changed."
        )
