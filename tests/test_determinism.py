"""Same random seed + profile + pinned versions: identical rows. Another seed: different."""

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.conftest import DatabaseFactory, InProcess
from tests.test_roundtrip import SEEDED_TABLES


def contents(url: sa.URL) -> dict[str, list[tuple[object, ...]]]:
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        dump = {
            table: [tuple(row) for row in connection.execute(sa.text(f"table {table} order by id"))]
            for table in SEEDED_TABLES
        }
    engine.dispose()
    return dump


def seeded(make_database: DatabaseFactory, alembic: InProcess, random_seed: int) -> sa.URL:
    url = make_database()
    InProcess(url, alembic.monkeypatch).upgrade("seed@head", random_seed=random_seed)
    return url


def test_same_seed_same_rows(make_database: DatabaseFactory, alembic: InProcess) -> None:
    first = contents(seeded(make_database, alembic, 7))
    second = contents(seeded(make_database, alembic, 7))
    assert all(first[table] for table in SEEDED_TABLES)
    assert first == second


def test_other_seed_other_rows(make_database: DatabaseFactory, alembic: InProcess) -> None:
    first = contents(seeded(make_database, alembic, 7))
    other = contents(seeded(make_database, alembic, 8))
    for table in SEEDED_TABLES:
        assert first[table] != other[table], table
