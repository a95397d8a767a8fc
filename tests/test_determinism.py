"""Same random seed + profile + pinned versions: identical rows. Another seed: different.

The two runs compared run in two processes: within one, the second would play back the
simulation the first recorded, and nondeterminism in the plans would go unseen."""

import sqlalchemy as sa

from tests.conftest import SEEDED_TABLES, Cli, DatabaseFactory, InProcess, contents


def seeded(make_database: DatabaseFactory, alembic: InProcess, random_seed: int) -> sa.URL:
    url = make_database()
    InProcess(url, alembic.monkeypatch).upgrade("seed@head", random_seed=random_seed)
    return url


def test_same_seed_same_rows(make_database: DatabaseFactory, alembic: InProcess) -> None:
    first = contents(seeded(make_database, alembic, 7))
    other_process = make_database()
    result = Cli(other_process, {})("-x", "random_seed=7", "upgrade", "seed@head")
    assert result.returncode == 0, result.stderr
    second = contents(other_process)
    assert all(first[table] for table in SEEDED_TABLES)
    assert first == second


def test_other_seed_other_rows(make_database: DatabaseFactory, alembic: InProcess) -> None:
    first = contents(seeded(make_database, alembic, 7))
    other = contents(seeded(make_database, alembic, 8))
    for table in SEEDED_TABLES:
        assert first[table] != other[table], table
