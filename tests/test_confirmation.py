"""A seed downgrade in staging or production deletes only when the run names the database
(-x confirm or SEED_CONFIRM): otherwise one line says what it would delete and how to
confirm, and nothing is deleted. Development and test need no confirmation."""

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from tests.conftest import SEED_HEAD, SEEDED_TABLES, Cli, table_counts, versions

STAGING = {"SEED_ENV": "staging"}


@pytest.fixture
def staging(cli: Cli, database_seeded_small: URL) -> Cli:
    """A small seed; downgrades run with SEED_ENV=staging (the stricter of it and the
    database's stamp, test, decides)."""
    return cli


def outcomes(engine: sa.Engine) -> list[str]:
    with engine.connect() as connection:
        query = "select outcome from seed_runs where direction = 'downgrade' order by id"
        return list(connection.scalars(sa.text(query)))


@pytest.mark.parametrize("confirm", [None, "another_database"])
def test_an_unconfirmed_staging_downgrade_deletes_nothing(
    staging: Cli, engine: sa.Engine, database_url: URL, confirm: str | None
) -> None:
    before = table_counts(engine, SEEDED_TABLES)
    args = ["-x", f"confirm={confirm}"] if confirm else []
    result = staging(*args, "downgrade", "seed@-1", env=STAGING)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    database = database_url.database
    assert line.startswith(
        f"FAILED: this downgrade would delete 221 seeded rows from staging database "
        f"'{database}' (inventory_movements 221)"
    )
    assert f"alembic -x confirm={database} downgrade" in line
    assert f"SEED_CONFIRM={database}" in line
    assert (f"names '{confirm}'" in line) is bool(confirm)
    assert table_counts(engine, SEEDED_TABLES) == before
    assert versions(engine) == {SEED_HEAD}
    assert outcomes(engine) == ["refused"]


@pytest.mark.parametrize("how", ["-x", "SEED_CONFIRM"])
def test_a_confirmed_staging_downgrade_deletes(
    staging: Cli, engine: sa.Engine, database_url: URL, how: str
) -> None:
    database = str(database_url.database)
    if how == "-x":
        result = staging("-x", f"confirm={database}", "downgrade", "seed@base", env=STAGING)
    else:
        result = staging("downgrade", "seed@base", env={**STAGING, "SEED_CONFIRM": database})
    assert result.returncode == 0, result.stderr
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select count(*) from users")) == 0
    assert outcomes(engine) == ["success"]


def test_a_dry_run_shows_what_it_would_delete(staging: Cli, engine: sa.Engine) -> None:
    before = table_counts(engine, SEEDED_TABLES)
    result = staging("-x", "dry_run=true", "downgrade", "seed@-2", env=STAGING)
    assert result.returncode == 0, result.stderr
    assert "dry run: nothing written" in result.stdout
    assert "downgrade seed_0010: deleted 221 rows" in result.stdout
    assert "downgrade seed_0009: deleted 85 rows" in result.stdout
    assert "inventory_movements        -221" in result.stdout
    assert table_counts(engine, SEEDED_TABLES) == before


def test_production_needs_both_keys_and_the_confirmation(staging: Cli, engine: sa.Engine) -> None:
    production = {"SEED_ENV": "production"}
    database = str(engine.url.database)
    allowed = {**production, "SEED_ALLOW_PRODUCTION": database}
    unconfirmed = staging("downgrade", "seed@-1", env=allowed)
    assert unconfirmed.returncode == 1 and "from production database" in unconfirmed.stderr
    not_allowed = staging("downgrade", "seed@-1", env={**production, "SEED_CONFIRM": database})
    assert not_allowed.returncode == 1 and "SEED_ALLOW_PRODUCTION" in not_allowed.stderr
    both = staging("downgrade", "seed@-1", env={**allowed, "SEED_CONFIRM": database})
    assert both.returncode == 0, both.stderr
    assert versions(engine) == {"seed_0009"}


def test_development_needs_no_confirmation(cli: Cli, engine: sa.Engine) -> None:
    assert cli("upgrade", "seed@head").returncode == 0
    result = cli("downgrade", "seed@-1")
    assert result.returncode == 0, result.stderr
    assert versions(engine) == {"seed_0009"}
