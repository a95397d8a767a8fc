<%doc>
  One template, two bodies: a seed revision (seed_data/revisions.py sets seed_revision)
  gets a seeder that already works (it inserts nothing until TABLES and generate say
  what); any other revision gets Alembic's usual empty pair.
</%doc>\
<%!
    def literal(value):
        """A revision id (or ids) as ruff format writes it: double quotes."""
        if value is None:
            return "None"
        if isinstance(value, str):
            return '"%s"' % value
        return "(" + ", ".join('"%s"' % item for item in value) + ",)"
%>\
% if context.get("seed_revision"):
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

A seed revision (docs/writing-seed-revisions.md). Describe what it writes in TABLES and
write it in generate(); seeding.upgrade checks the tables against the live schema, records
every inserted id in the ledger and validates the rows, and seeding.downgrade deletes
exactly those rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from seed_data import seeding

revision: str = ${literal(up_revision)}
down_revision: str | Sequence[str] | None = ${literal(down_revision)}
branch_labels: str | Sequence[str] | None = ${literal(branch_labels)}
depends_on: str | Sequence[str] | None = ${literal(depends_on)}

# The tables this revision writes: sa.table() specs with the id column first, e.g.
#   users = sa.table("users", sa.column("id", sa.BigInteger), sa.column("name", sa.String))
TABLES: Sequence[sa.TableClause] = ()
# Rows each profile gives, per table, once measured (terp/catalogue.py lists them), e.g.
#   ROWS = {"users": {"small": 5, "medium": 5, "large": 5, "xl": 5}}
ROWS: dict[str, dict[str, int]] = {}


def generate(context: seeding.SeedContext) -> None:
    """Insert rows, e.g. `context.insert(users, 10, make_rows)`, where make_rows(ids)
    yields one row per id, built by column name: USERS_ROW = seeding.row_builder(users),
    then USERS_ROW(id=..., name=...). Draw every random value from context.rng or
    context.faker."""


seeder = seeding.InlineSeeder(TABLES=TABLES, generate=generate, ROWS=ROWS)


def upgrade() -> None:
    seeding.upgrade(revision, seeder)


def downgrade() -> None:
    seeding.downgrade(revision, seeder)
% else:
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}

revision: str = ${literal(up_revision)}
down_revision: str | Sequence[str] | None = ${literal(down_revision)}
branch_labels: str | Sequence[str] | None = ${literal(branch_labels)}
depends_on: str | Sequence[str] | None = ${literal(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
% endif
