"""Rows into PostgreSQL through psycopg 3's COPY, on Alembic's own connection, so the rows
live and die with the revision's transaction. Rows are streamed from a generator: Python
builds the next row while the server stores the last one, and no table sits in memory."""

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from psycopg import sql


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
    with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written
