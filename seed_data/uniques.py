"""Unique values that the database already holds, so that seeding beside the app's own
rows never collides with them.

A revision asks before it writes: `TakenCodes` for TERP's numbered codes (LOT-00001,
BATCH-000001, ORD-000001, WHL0001, ...), where the n-th code the seed writes becomes the
n-th number nobody holds yet, so the format stays TERP's; `TakenValues` for any other
unique value (a name, an e-mail address, a SKU), which gets a variant (" 2", ".2@...")
when it is taken. Both read the table once, at the revision's start, and only values of
the seed's own shape. From an empty database nothing is taken, and every value is exactly
what it would have been: the data is identical to a seed onto an empty database, and for
the same starting database it is always the same."""

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable

import sqlalchemy as sa


def _quote(connection: sa.Connection, name: str) -> str:
    return str(connection.dialect.identifier_preparer.quote(name))


class TakenCodes:
    """The numbers of `<prefix><digits>` codes a column already holds, as runs of
    consecutive numbers: the app's thousands of codes are usually one run or a few."""

    def __init__(self, numbers: Iterable[int] = ()) -> None:
        runs: list[tuple[int, int]] = []
        for number in sorted(set(numbers)):
            if runs and number == runs[-1][1] + 1:
                runs[-1] = (runs[-1][0], number)
            else:
                runs.append((number, number))
        self._index(runs)

    @classmethod
    def load(cls, connection: sa.Connection, table: str, column: str, prefix: str) -> "TakenCodes":
        """The runs, found by the server: the codes never travel (600,000 codes of an xl
        app took 0.8 s to read and sort here; their runs are a handful of rows)."""
        name = _quote(connection, column)
        query = (
            "select min(n), max(n) from (select n, n - row_number() over (order by n) as run "
            f"from (select distinct substr({name}, :digits)::numeric as n "
            f"from {_quote(connection, table)} where {name} ~ :pattern) taken) numbered "
            "group by run order by 1"
        )
        pattern = f"^{re.escape(prefix)}[0-9]+$"
        rows = connection.execute(sa.text(query), {"digits": len(prefix) + 1, "pattern": pattern})
        taken = cls.__new__(cls)
        taken._index([(int(low), int(high)) for low, high in rows])
        return taken

    def _index(self, runs: list[tuple[int, int]]) -> None:
        """For each run (sorted, disjoint), the free numbers below it; and the taken numbers
        below each run, with the total last. Numbers below 1 are never handed out."""
        self._free_before: list[int] = []
        self._taken_before: list[int] = [0]
        for low, high in ((max(low, 1), high) for low, high in runs if high >= 1):
            self._free_before.append(low - 1 - self._taken_before[-1])
            self._taken_before.append(self._taken_before[-1] + high - low + 1)

    def nth_free(self, n: int) -> int:
        """The n-th number (from 1) that no row holds."""
        runs_below = bisect_left(self._free_before, n)  # the runs that end before it
        return n + self._taken_before[runs_below]


class TakenValues:
    """The values a unique column already holds; `free` gives a candidate, or its first
    variant nobody holds, and remembers it."""

    def __init__(self, values: set[str]) -> None:
        self._taken = values

    @classmethod
    def load(
        cls, connection: sa.Connection, table: str, column: str, like: str = "%"
    ) -> "TakenValues":
        query = (
            f"select {_quote(connection, column)} from {_quote(connection, table)} "
            f"where {_quote(connection, column)} like :like"
        )
        return cls(set(connection.scalars(sa.text(query), {"like": like})))

    def free(self, candidate: str, variant: Callable[[str, int], str]) -> str:
        value, number = candidate, 1
        while value in self._taken:
            number += 1
            value = variant(candidate, number)
        if self._taken:  # an empty database takes nothing: no need to remember
            self._taken.add(value)
        return value


def numbered(name: str, number: int) -> str:
    """A name's variant: "Emerald Valley Farms 2"."""
    return f"{name} {number}"


def email_variant(address: str, number: int) -> str:
    """An address's variant on the same domain: "ana.ruiz.7-2@example.com"."""
    local, _, domain = address.rpartition("@")
    return f"{local}-{number}@{domain}"


def dashed(code: str, number: int) -> str:
    """A code's variant: "SKU-00001-00002-2"."""
    return f"{code}-{number}"
