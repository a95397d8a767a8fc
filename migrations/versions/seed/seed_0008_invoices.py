"""Seed invoices and their line items, one per confirmed sale.

Revision ID: seed_0008
Revises: seed_0007
"""

from collections.abc import Sequence

from seed_data import seeding
from terp.generators import invoices as seeder

revision: str = "seed_0008"
down_revision: str | Sequence[str] | None = "seed_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    seeding.upgrade(revision, seeder)


def downgrade() -> None:
    seeding.downgrade(revision, seeder)
