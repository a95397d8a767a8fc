"""A seed revision is what sits on the seed branch, whatever its id or body: the production
gate, the whole-run drift preflight and `alembic revision` all go by that."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data import preflight
from seed_data.environment import ProductionRefused
from tests.conftest import (
    PROJECT_ROOT,
    SCHEMA_HEAD,
    SEED_HEAD,
    Cli,
    InProcess,
    table_counts,
    versions,
)

HAND_WRITTEN_ID = "3f9a1c2b7d4e"  # what `alembic revision` gives without this project's hook
HAND_WRITTEN = f'''"""More staff, written by hand with plain op calls."""

from alembic import op

revision = "{HAND_WRITTEN_ID}"
down_revision = "{SEED_HEAD}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("insert into users (open_id, name, role) values ('by-hand-1', 'By Hand', 'user')")


def downgrade() -> None:
    op.execute("delete from users where open_id = 'by-hand-1'")
'''
HELPER_WITH_OTHER_NAME = f'''"""More staff through the seeding helpers, under another name."""

from seed_data import seeding
from terp.generators import users as staff

revision = "a1b2c3d4e5f6"
down_revision = "{SEED_HEAD}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    seeding.upgrade(revision, staff)


def downgrade() -> None:
    seeding.downgrade(revision, staff)
'''


def add_revision(ini: Path, name: str, body: str) -> None:
    (ini.parent / "migrations" / "versions" / "seed" / name).write_text(body)


def hand_written_rows(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        query = "select count(*) from users where open_id = 'by-hand-1'"
        return int(connection.scalar(sa.text(query)) or 0)


@pytest.fixture
def production(cli: Cli, database_url: URL, engine: sa.Engine) -> dict[str, str]:
    """A database stamped production and seeded with both keys; returns the keys."""
    keys = {"SEED_ENV": "production", "SEED_ALLOW_PRODUCTION": str(database_url.database)}
    seeded = cli("upgrade", "seed@head", env=keys)
    assert seeded.returncode == 0, seeded.stderr
    return keys


@pytest.mark.parametrize("body", [HAND_WRITTEN, HELPER_WITH_OTHER_NAME], ids=["op", "helpers"])
def test_a_revision_with_a_random_id_is_gated_like_every_seed_revision(
    production: dict[str, str],
    database_url: URL,
    engine: sa.Engine,
    migrations_copy: Path,
    body: str,
) -> None:
    add_revision(migrations_copy, "more_staff.py", body)
    cli = Cli(database_url, {}, ini=migrations_copy)
    users = table_counts(engine, ("users",))
    refused = cli("upgrade", "seed@head")  # the database is stamped production
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "FAILED: refusing to seed production database" in refused.stderr
    assert "the database is stamped production" in refused.stderr
    assert "environment development" not in refused.stdout
    assert versions(engine) == {SEED_HEAD}
    assert table_counts(engine, ("users",)) == users

    if body is HAND_WRITTEN:  # with both keys a hand-written revision runs, and undoes
        allowed = cli("upgrade", "seed@head", env=production)
        assert allowed.returncode == 0, allowed.stderr
        assert hand_written_rows(engine) == 1
        # a hand-written revision has no ledger, and its downgrade is confirmed all the same
        unconfirmed = cli("downgrade", "seed@-1", env=production)
        assert unconfirmed.returncode == 1 and "would delete 0 seeded rows" in unconfirmed.stderr
        confirmed = {**production, "SEED_CONFIRM": str(engine.url.database)}
        assert cli("downgrade", "seed@-1", env=confirmed).returncode == 0
        assert hand_written_rows(engine) == 0


def test_the_preflight_finds_a_seeder_under_any_name(
    cli: Cli, database_url: URL, engine: sa.Engine, migrations_copy: Path
) -> None:
    """Drift in a revision whose generator is imported under another name is refused
    for the whole run, before the seed branch's first revision commits."""
    users = migrations_copy.parent / "migrations" / "versions" / "seed" / "seed_0002_users.py"
    users.write_text(
        users.read_text().replace("as seeder", "as staff").replace("seeder)", "staff)")
    )
    assert "seeder" not in users.read_text()
    assert cli("upgrade", "schema@head").returncode == 0
    with engine.begin() as connection:
        connection.execute(sa.text("alter table users drop column email"))
    result = Cli(database_url, {}, ini=migrations_copy)("upgrade", "seed@head")
    assert result.returncode == 1
    assert "seed revision(s) seed_0002 refused, schema drift: column users.email" in result.stderr
    assert versions(engine) == {SCHEMA_HEAD}
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select to_regclass('seed_ledger')")) is None


def test_the_gate_holds_where_rows_are_written_without_the_preflight(
    production: dict[str, str],
    cli: Cli,
    alembic: InProcess,
    engine: sa.Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Defence in depth: with the whole-run check switched off, each seed step is still
    refused before it commits, by the step callback and by the seeding helpers."""
    confirmed = {**production, "SEED_CONFIRM": str(engine.url.database)}
    assert cli("downgrade", "seed@base", env=confirmed).returncode == 0
    monkeypatch.setattr(preflight, "check", lambda *args, **kwargs: None)
    with pytest.raises(ProductionRefused, match="refusing to change seed data in production"):
        alembic.upgrade("seed@head")  # seed_0001: plain op calls, refused by the callback
    assert versions(engine) == {SCHEMA_HEAD}

    assert cli("upgrade", "seed_0001", env=production).returncode == 0
    with pytest.raises(ProductionRefused, match="refusing to seed production database"):
        alembic.upgrade("seed@head")  # seed_0002: refused inside seeding.upgrade
    assert versions(engine) == {"seed_0001"}
    assert table_counts(engine, ("users",)) == {"users": 0}


def test_alembic_revision_makes_a_working_seed_revision(
    cli: Cli, database_url: URL, engine: sa.Engine, migrations_copy: Path
) -> None:
    copy = Cli(database_url, {}, ini=migrations_copy)
    made = copy("revision", "-m", "more staff", "--head", "seed@head")
    assert made.returncode == 0, made.stdout + made.stderr
    (path,) = (migrations_copy.parent / "migrations" / "versions" / "seed").glob("seed_0011_*")
    assert path.name == "seed_0011_more_staff.py"
    text = path.read_text()
    assert 'revision: str = "seed_0011"' in text
    assert f'down_revision: str | Sequence[str] | None = "{SEED_HEAD}"' in text
    assert (
        "seeding.upgrade(revision, seeder)" in text
        and "seeding.downgrade(revision, seeder)" in text
    )

    up = copy("upgrade", "seed@head")
    assert up.returncode == 0, up.stderr
    assert versions(engine) == {"seed_0011"}
    assert "upgrade seed_0011: inserted 0 rows" in up.stdout
    assert copy("downgrade", "seed@-1").returncode == 0
    assert versions(engine) == {SEED_HEAD}

    schema = copy("revision", "-m", "a column", "--head", "schema@head")
    assert schema.returncode == 0, schema.stderr
    versions_dir = migrations_copy.parent / "migrations" / "versions" / "schema"
    assert (versions_dir / "schema_0004_a_column.py").exists()
    given = copy("revision", "-m", "mine", "--head", "seed@head", "--rev-id", "my_own_id")
    assert given.returncode == 0, given.stderr
    assert list((migrations_copy.parent / "migrations" / "versions" / "seed").glob("my_own_id_*"))


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.DOTALL)


def test_the_walk_through_in_the_docs_works(
    database_url: URL, engine: sa.Engine, migrations_copy: Path
) -> None:
    """docs/writing-seed-revisions.md, steps 1-3, as a newcomer follows them."""
    copy = Cli(database_url, {}, ini=migrations_copy)
    assert copy("revision", "-m", "more staff", "--head", "seed@head").returncode == 0
    (path,) = (migrations_copy.parent / "migrations" / "versions" / "seed").glob("seed_0011_*")
    blocks = python_blocks((PROJECT_ROOT / "docs" / "writing-seed-revisions.md").read_text())
    tables, generate, imports = blocks[1], blocks[2], blocks[3]
    text = path.read_text()
    text = text.replace("import sqlalchemy as sa\n", imports + "\nimport sqlalchemy as sa\n")
    text = text.replace("TABLES: Sequence[sa.TableClause] = ()\n", tables)
    start = text.index("def generate(")
    end = text.index("seeder = seeding.InlineSeeder")
    path.write_text(text[:start] + generate + "\n\n" + text[end:])

    up = copy("upgrade", "seed@head")
    assert up.returncode == 0, up.stdout + up.stderr
    assert "upgrade seed_0011: inserted 5 rows" in up.stdout
    assert table_counts(engine, ("users",)) == {"users": 13}
    assert copy("downgrade", "seed@-1").returncode == 0
    assert table_counts(engine, ("users",)) == {"users": 8}


def test_a_refused_downgrade_says_what_it_refuses(
    production: dict[str, str], cli: Cli, engine: sa.Engine
) -> None:
    result = cli("downgrade", "seed@-1", env={"RAILWAY_ENVIRONMENT_NAME": "production"})
    assert result.returncode == 1
    assert "FAILED: refusing to undo seed data in production database" in result.stderr
    assert "RAILWAY_ENVIRONMENT_NAME says production" in result.stderr
    assert versions(engine) == {SEED_HEAD}
