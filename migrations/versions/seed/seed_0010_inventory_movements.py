"""Seed inventory movements: intake, samples, write-offs, quarantine, sales.

Last on the branch: SALE movements point at orders.

Revision ID: seed_0010
Revises: seed_0009
"""

from collections.abc import Sequence

from seed_data import seeding
from terp.generators import movements as seeder

revision: str = "seed_0010"
down_revision: str | Sequence[str] | None = "seed_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    seeding.upgrade(revision, seeder)


def downgrade() -> None:
    seeding.downgrade(revision, seeder)
