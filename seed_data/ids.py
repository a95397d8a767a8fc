"""Primary keys taken from each table's own identity sequence, held as ranges.

Ids come from `nextval` in one round trip before the rows are written, so children can
reference parents without RETURNING, rows the app inserts at the same time never collide,
and the sequence stays correct. The server hands back only the ranges (islands of
consecutive ids), so two million ids cost a few bytes, not a Python list."""

import bisect
from collections.abc import Iterator, Sequence

import sqlalchemy as sa

from seed_data.errors import SeedError

# Each nextval of one session is larger than the one before, so in the order of the series
# `id - n` is constant exactly over a run of consecutive ids: a hash aggregate finds the
# islands without sorting two million ids (about 5x faster than a window function).
_ALLOCATE = sa.text(
    """
    select min(id), max(id)
    from (
        select nextval((select pg_get_serial_sequence(:table, 'id'))::regclass) as id, n
        from generate_series(1, :count) n
    ) allocated
    group by id - n
    order by 1
    """
)


class IdBlock(Sequence[int]):
    """An ordered set of ids stored as inclusive (first, last) ranges."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        self.ranges = [(int(first), int(last)) for first, last in ranges]
        self._starts: list[int] = []  # index of each range's first id within the block
        total = 0
        for first, last in self.ranges:
            if last < first:
                raise ValueError(f"empty id range ({first}, {last})")
            self._starts.append(total)
            total += last - first + 1
        self._length = total

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> int:  # type: ignore[override]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        slot = bisect.bisect_right(self._starts, index) - 1
        return self.ranges[slot][0] + index - self._starts[slot]

    def __iter__(self) -> Iterator[int]:
        for first, last in self.ranges:
            yield from range(first, last + 1)

    def __repr__(self) -> str:
        return f"IdBlock({self.ranges!r})"

    def as_multirange(self) -> str:
        """PostgreSQL int8multirange literal (half-open ranges)."""
        return "{" + ",".join(f"[{first},{last + 1})" for first, last in self.ranges) + "}"


def allocate_ids(connection: sa.Connection, table: str, count: int) -> IdBlock:
    if count <= 0:
        return IdBlock([])
    rows = connection.execute(_ALLOCATE, {"table": table, "count": count}).all()
    block = IdBlock([(first, last) for first, last in rows])
    if len(block) != count:  # the ranges must cover exactly the ids handed out
        raise SeedError(f"allocating {count} ids of {table} returned {len(block)}")
    return block
