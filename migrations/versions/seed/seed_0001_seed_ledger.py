"""Seed branch root: the ledger of which rows each seed revision inserted.

Revision ID: seed_0001
Revises:
Depends on: schema_0003 (every TERP table, its reference data and the environment stamp)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "seed_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("seed",)
depends_on: str | Sequence[str] | None = "schema_0003"


def upgrade() -> None:
    op.create_table(
        "seed_ledger",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("revision", sa.String(64), nullable=False),
        sa.Column("table_name", sa.String(63), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("id_ranges", postgresql.INT8MULTIRANGE, nullable=False),
        sa.Column("row_count", sa.BigInteger, nullable=False),
        sa.Column("profile", sa.String(20), nullable=False),
        sa.Column("random_seed", sa.BigInteger, nullable=False),
        sa.Column("package_versions", postgresql.JSONB, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.UniqueConstraint("revision", "table_name", name="uq_seed_ledger_revision_table"),
    )


def downgrade() -> None:
    # the changes later revisions made to earlier rows: a table the engine makes on first use
    op.execute("drop table if exists seed_ledger_changes")
    op.drop_table("seed_ledger")
