"""Seed supply: lots, their batches, and where batches sit.

Revision ID: seed_0006
Revises: seed_0005
"""

from collections.abc import Sequence

from seed_data import seeding
from terp.generators import inventory as seeder

revision: str = "seed_0006"
down_revision: str | Sequence[str] | None = "seed_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    seeding.upgrade(revision, seeder)


def downgrade() -> None:
    seeding.downgrade(revision, seeder)
