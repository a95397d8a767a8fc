"""Seed the catalog: brands, strains and products.

Revision ID: seed_0004
Revises: seed_0003
"""

from collections.abc import Sequence

from seed_data import seeding
from terp.generators import catalog as seeder

revision: str = "seed_0004"
down_revision: str | Sequence[str] | None = "seed_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    seeding.upgrade(revision, seeder)


def downgrade() -> None:
    seeding.downgrade(revision, seeder)
