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
from bisect import bisect_right
from collections.abc import Callable

import sqlalchemy as sa


def _quote(connection: sa.Connection, name: str) -> str:
    return str(connection.dialect.identifier_preparer.quote(name))


class TakenCodes:
    """The numbers of `<prefix><digits>` codes a column already holds."""

    def __init__(self, numbers: list[int]) -> None:
        self._sorted = sorted(set(numbers))
        self._set = set(self._sorted)

    @classmethod
    def load(cls, connection: sa.Connection, table: str, column: str, prefix: str) -> "TakenCodes":
        pattern = f"^{re.escape(prefix)}[0-9]+$"
        query = (
            f"select {_quote(connection, column)} from {_quote(connection, table)} "
            f"where {_quote(connection, column)} ~ :pattern"
        )
        values = connection.scalars(sa.text(query), {"pattern": pattern})
        return cls([int(value[len(prefix) :]) for value in values])

    def nth_free(self, n: int) -> int:
        """The n-th number (from 1) that no row holds."""
        if not self._sorted or n < self._sorted[0]:
            return n
        x = n
        while (free := x - bisect_right(self._sorted, x)) < n:
            x += n - free
        while x in self._set:  # the smallest x with n free numbers up to it is itself free
            x -= 1
        return x


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
