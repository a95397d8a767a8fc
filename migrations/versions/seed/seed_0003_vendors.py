"""Seed vendors: California cultivators.

Revision ID: seed_0003
Revises: seed_0002
"""

from collections.abc import Sequence

from seed_data import seeding
from terp.generators import vendors as seeder

revision: str = "seed_0003"
down_revision: str | Sequence[str] | None = "seed_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    seeding.upgrade(revision, seeder)


def downgrade() -> None:
    seeding.downgrade(revision, seeder)
