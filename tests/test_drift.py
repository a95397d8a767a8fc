"""Schema drift is caught before any write, listing every problem."""

import pytest
import sqlalchemy as sa

from seed_data.drift import SchemaDrift
from tests.conftest import SCHEMA_HEAD, SEEDED_TABLES, Cli, InProcess, table_counts, versions


def test_drift_is_refused_before_any_write(alembic: InProcess, cli: Cli, engine: sa.Engine) -> None:
    alembic.upgrade("schema@head")
    with engine.begin() as connection:
        connection.execute(sa.text("alter table clients drop column phone"))
        connection.execute(sa.text("alter table vendors add column region text not null"))
        connection.execute(sa.text("alter table strains alter column aliases type text"))
    result = cli("upgrade", "seed@head")
    assert result.returncode != 0
    failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED:")]
    assert len(failed) == 1, result.stdout + result.stderr
    message = failed[0]
    assert "schema drift" in message
    assert "column clients.phone is missing" in message
    assert "column vendors.region is NOT NULL without a default" in message
    assert "column strains.aliases is TEXT, expected JSONB" in message
    assert "alembic upgrade schema@head" in message
    assert versions(engine) == {SCHEMA_HEAD}
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select to_regclass('seed_ledger')")) is None
    counts = table_counts(engine, tuple(t for t in SEEDED_TABLES if t != "strains"))
    assert set(counts.values()) == {0}


def test_drift_met_mid_run_commits_nothing_of_that_revision(
    alembic: InProcess, engine: sa.Engine
) -> None:
    """When the run also migrates the schema, each seed revision checks just before it
    writes: the revisions before the drifted one commit, the drifted one does not."""
    alembic.upgrade("schema_0002")
    with engine.begin() as connection:
        connection.execute(sa.text("alter table clients drop column phone"))
    with pytest.raises(SchemaDrift, match=r"seed_0005 refused, schema drift: .*clients\.phone"):
        alembic.upgrade("seed@head")
    assert versions(engine) == {"seed_0004"}
    assert table_counts(engine, ("clients",)) == {"clients": 0}
    assert table_counts(engine, ("vendors",))["vendors"] > 0
