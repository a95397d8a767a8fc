"""Reference data: TERP's default batch workflow statuses.

The app needs these rows in every environment (batches.status_id points at them), so they
ship with the schema branch rather than with the seed data.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "schema_0002"
down_revision: str | Sequence[str] | None = "schema_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# From TERP's drizzle/migrations/0001_add_workflow_queue_tables.sql (EvanTenenbaum/TERP),
# the migration that created workflow_statuses and inserted its defaults; slugs are kept
# verbatim because TERP looks statuses up by slug. server/scripts/seed-workflow-statuses.ts
# seeds the same six names, slugs and order.
WORKFLOW_STATUSES: list[dict[str, str | int]] = [
    {"slug": "intake-queue", "name": "Intake Queue", "color": "#EF4444", "sort_order": 1},
    {"slug": "quality-check", "name": "Quality Check", "color": "#F59E0B", "sort_order": 2},
    {"slug": "lab-testing", "name": "Lab Testing", "color": "#3B82F6", "sort_order": 3},
    {"slug": "packaging", "name": "Packaging", "color": "#8B5CF6", "sort_order": 4},
    {"slug": "ready-for-sale", "name": "Ready for Sale", "color": "#10B981", "sort_order": 5},
    {"slug": "on-hold", "name": "On Hold", "color": "#6B7280", "sort_order": 6},
]

workflow_statuses = sa.table(
    "workflow_statuses",
    sa.column("slug", sa.String),
    sa.column("name", sa.String),
    sa.column("color", sa.String),
    sa.column("sort_order", sa.Integer),
)


def upgrade() -> None:
    op.bulk_insert(workflow_statuses, WORKFLOW_STATUSES)


def downgrade() -> None:
    slugs = [str(status["slug"]) for status in WORKFLOW_STATUSES]
    op.execute(workflow_statuses.delete().where(workflow_statuses.c.slug.in_(slugs)))
