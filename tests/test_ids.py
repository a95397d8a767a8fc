"""Ids come from the table's own sequence, as ranges, and never collide with app rows."""

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.ids import IdBlock, allocate_ids
from tests.conftest import InProcess


def test_id_block_indexes_across_ranges() -> None:
    block = IdBlock([(1, 3), (10, 11), (20, 20)])
    assert len(block) == 6
    assert list(block) == [1, 2, 3, 10, 11, 20]
    assert [block[i] for i in range(6)] == list(block)
    assert block[-1] == 20
    assert block.as_multirange() == "{[1,4),[10,12),[20,21)}"
    with pytest.raises(IndexError):
        block[6]
    with pytest.raises(ValueError):
        IdBlock([(5, 4)])


def test_allocation_takes_ids_from_the_sequence(alembic: InProcess, engine: sa.Engine) -> None:
    alembic.upgrade("schema@head")
    with engine.begin() as connection:
        connection.execute(sa.text("insert into vendors (name) values ('app vendor')"))
        block = allocate_ids(connection, "vendors", 5)
        assert len(block) == 5
        assert list(block) == [2, 3, 4, 5, 6]
        # the sequence moved past the block: the app's next row gets a fresh id
        app_id = connection.scalar(
            sa.text("insert into vendors (name) values ('next app vendor') returning id")
        )
        assert app_id == 7
        assert len(allocate_ids(connection, "vendors", 0)) == 0


def test_allocation_finds_the_islands_of_a_gapped_sequence(
    database_at_schema_head: URL, alembic: InProcess, engine: sa.Engine
) -> None:
    """Ids that are not consecutive (here a sequence stepping by 3, as another session's
    nextval calls in between would leave) come back as one range per island."""
    with engine.begin() as connection:
        sequence = connection.scalar(sa.text("select pg_get_serial_sequence('lots', 'id')"))
        connection.execute(sa.text(f"alter sequence {sequence} increment by 3"))
        block = allocate_ids(connection, "lots", 4)
        assert list(block) == [1, 4, 7, 10]
        assert block.ranges == [(1, 1), (4, 4), (7, 7), (10, 10)]
