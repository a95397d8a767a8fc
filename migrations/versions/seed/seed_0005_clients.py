"""Seed clients: dispensaries and retailers, whales first.

Revision ID: seed_0005
Revises: seed_0004
"""

from collections.abc import Sequence

from seed_data import seeding
from terp.generators import clients as seeder

revision: str = "seed_0005"
down_revision: str | Sequence[str] | None = "seed_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    seeding.upgrade(revision, seeder)


def downgrade() -> None:
    seeding.downgrade(revision, seeder)
