"""Rows into PostgreSQL through psycopg 3's COPY, on Alembic's own connection, so the rows
live and die with the revision's transaction. Rows are streamed from a generator: Python
builds the next row while the server stores the last one, and no table sits in memory."""

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg import sql

from seed_data.errors import SeedError


def copy_rows(
    connection: sa.Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    driver_connection = connection.connection.driver_connection
    assert driver_connection is not None
    written = 0
    try:
        with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
    except psycopg.DatabaseError as error:
        raise load_failed(table, error) from None
    return written


def load_failed(table: str, error: BaseException) -> SeedError:
    """Typically a constraint the schema gained that the seeder does not know about. The
    first line names the constraint; the DETAIL lines would echo row values."""
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return SeedError(
        f"writing {table} failed: {reason}. Nothing of this revision was committed; "
        "check the table's constraints against the seeder."
    )
