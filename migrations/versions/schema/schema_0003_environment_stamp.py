"""The database remembers its environment.

Created and stamped on the schema branch's first upgrade, from SEED_ENV (else
RAILWAY_ENVIRONMENT_NAME when it is one of the four environments, else development), so a
database stamped production stays production whatever a later caller's SEED_ENV says.
Changing it is a deliberate command (`python -m seed_data stamp-environment`, see
docs/runbook.md).

Revision ID: schema_0003
Revises: schema_0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from seed_data import environment
from seed_data.settings import load_environment, parse_environment

revision: str = "schema_0003"
down_revision: str | Sequence[str] | None = "schema_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENVIRONMENTS = ("development", "test", "staging", "production")


def upgrade() -> None:
    op.create_table(
        "seed_environment",
        sa.Column("id", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("environment", sa.String(20), nullable=False),
        sa.Column("stamped_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stamped_by", sa.String(255), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_seed_environment_single_row"),
        sa.CheckConstraint(
            "environment in (" + ", ".join(f"'{name}'" for name in ENVIRONMENTS) + ")",
            name="ck_seed_environment_environment",
        ),
    )
    # A Railway environment this tool does not know (pr-123) without SEED_ENV stays
    # unstamped: seeding it needs SEED_ENV, and a deliberate stamp-environment can name it.
    # Read from the process environment (and .env) as every command resolves it: the
    # schema branch needs nothing of the seeding run.
    stated, source, _ = parse_environment(load_environment())
    if stated is not None:
        # the source says whether the environment was stated or defaulted (mask asks)
        environment.stamp(op.get_bind(), stated, source)


def downgrade() -> None:
    op.drop_table("seed_environment")
