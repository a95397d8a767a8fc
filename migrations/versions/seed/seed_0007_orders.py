"""Seed orders (quotes and sales) and their line items.

Revision ID: seed_0007
Revises: seed_0006
"""

from collections.abc import Sequence

from seed_data import seeding
from terp.generators import orders as seeder

revision: str = "seed_0007"
down_revision: str | Sequence[str] | None = "seed_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    seeding.upgrade(revision, seeder)


def downgrade() -> None:
    seeding.downgrade(revision, seeder)
