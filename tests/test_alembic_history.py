"""pytest-alembic's built-in checks, adapted to two branches."""

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from pytest_alembic import tests as alembic_tests
from pytest_alembic.config import Config as PytestAlembicConfig
from pytest_alembic.runner import MigrationContext
from sqlalchemy.pool import NullPool

from tests.conftest import ALEMBIC_INI, InProcess

BRANCHES = ("schema", "seed")


@pytest.fixture
def alembic_config() -> PytestAlembicConfig:
    return PytestAlembicConfig(config_options={"file": str(ALEMBIC_INI)})


@pytest.fixture
def alembic_engine(alembic: InProcess) -> Iterator[sa.Engine]:
    alembic.config()  # clears SEED_* variables, points DATABASE_URL at the test database
    engine = sa.create_engine(alembic.database_url, poolclass=NullPool)
    yield engine
    engine.dispose()


def test_one_head_per_branch(alembic: InProcess) -> None:
    script = ScriptDirectory.from_config(alembic.config())
    for branch in BRANCHES:
        assert len(script.get_revisions(f"{branch}@head")) == 1, branch
    heads = {script.get_revision(head).branch_labels.pop() for head in script.get_bases()}
    assert heads == set(BRANCHES)
    assert len(script.get_heads()) == len(BRANCHES)


def test_seed_branch_depends_only_on_schema(alembic: InProcess) -> None:
    """`seed@-1` and `seed@base` leave `schema` alone only if seed merely depends on it."""
    script = ScriptDirectory.from_config(alembic.config())
    seed_revisions = [
        r
        for r in script.walk_revisions()
        if r.revision.startswith("seed_") or "seed" in r.branch_labels
    ]
    assert seed_revisions
    for revision in seed_revisions:
        assert revision.revision.startswith("seed_")
        parents = revision.down_revision
        parents = () if parents is None else (parents,) if isinstance(parents, str) else parents
        assert all(parent.startswith("seed_") for parent in parents)
        dependencies = revision.dependencies
        dependencies = (
            ()
            if dependencies is None
            else (dependencies,)
            if isinstance(dependencies, str)
            else dependencies
        )
        assert all(dependency.startswith("schema_") for dependency in dependencies)


def test_upgrade(alembic_runner: MigrationContext) -> None:
    alembic_tests.test_upgrade(alembic_runner)


def test_up_down_consistency(alembic_runner: MigrationContext) -> None:
    alembic_tests.test_up_down_consistency(alembic_runner)
