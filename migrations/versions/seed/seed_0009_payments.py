"""Seed payments: customers' on invoices, the wholesaler's to COD vendors.

Revision ID: seed_0009
Revises: seed_0008
"""

from collections.abc import Sequence

from seed_data import seeding
from terp.generators import payments as seeder

revision: str = "seed_0009"
down_revision: str | Sequence[str] | None = "seed_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    seeding.upgrade(revision, seeder)


def downgrade() -> None:
    seeding.downgrade(revision, seeder)
