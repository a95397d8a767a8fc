"""Seed TERP staff users.

Revision ID: seed_0002
Revises: seed_0001
"""

from collections.abc import Sequence

from seed_data import seeding
from terp.generators import users as seeder

revision: str = "seed_0002"
down_revision: str | Sequence[str] | None = "seed_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    seeding.upgrade(revision, seeder)


def downgrade() -> None:
    seeding.downgrade(revision, seeder)
