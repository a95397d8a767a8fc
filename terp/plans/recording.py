"""The trading simulation, run once per process and played back after that.

An upgrade replays the simulation in several revisions. The first replay records it as
streams of plain tuples, pickled in chunks (about 60 MB at xl, against about 330 MB for
the event objects): the orders, with their lines and settlements; the lines again, with
only what the line tables need; and the stock movements. A revision plays back only the
streams it writes, and rebuilds only cheap values (named tuples; an order is refilled field
by field, skipping its __init__). The counts every revision needs up front are tallied
while recording. Playback must equal the simulation exactly: tests/test_plans.py checks it
event for event."""

import functools
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from terp.plans.settlement import Settlement
from terp.plans.summary import PlanSummary, Tally
from terp.plans.trading import (
    Aftercare,
    Market,
    OrderLines,
    PlannedLine,
    PlannedOrder,
    StockMove,
    plan_world,
)
from terp.profiles import Profile

CHUNK_EVENTS = 5_000
# Chunks of plain tuples, pickled in memory (never read from outside the process): they
# load about 4x faster than marshalled ones (measured at large: 0.05 s against 0.19 s).
_PROTOCOL = 5

Encoded = tuple[object, ...]


def encode(order: PlannedOrder) -> Encoded:
    settlement = order.settlement
    return (
        order.index,
        order.client,
        order.created,
        order.order_type,
        order.is_draft,
        order.quote_status,
        tuple(map(tuple, order.lines)),
        order.terms,
        order.discount,
        order.converted_from,
        order.cancelled,
        order.fulfillment,
        order.invoice,
        order.invoiced,
        None if order.due is None else order.due.toordinal(),
        None if settlement is None else tuple(settlement),
        None if order.aftercare is None else tuple(order.aftercare),
        order.subtotal,
        order.total_cogs,
    )


def decode(encoded: Encoded) -> PlannedOrder:
    fields: Any = encoded  # a recording's tuples hold exactly what encode() put there
    (
        index,
        client,
        created,
        order_type,
        is_draft,
        quote_status,
        lines,
        terms,
        discount,
        converted_from,
        cancelled,
        fulfillment,
        invoice,
        invoiced,
        due,
        settlement,
        aftercare,
        subtotal,
        total_cogs,
    ) = fields
    # Refilled field by field: __init__ would recompute the sums the recording holds.
    order = PlannedOrder.__new__(PlannedOrder)
    order.index, order.client, order.created = index, client, created
    order.order_type, order.is_draft, order.quote_status = order_type, is_draft, quote_status
    order.lines = list(map(PlannedLine._make, lines))
    order.terms, order.discount, order.converted_from = terms, discount, converted_from
    order.cancelled, order.fulfillment = cancelled, fulfillment
    order.invoice, order.invoiced = invoice, invoiced
    order.due = None if due is None else date.fromordinal(due)
    order.settlement = None if settlement is None else Settlement._make(settlement)
    order.aftercare = None if aftercare is None else Aftercare._make(aftercare)
    order.subtotal, order.total_cogs = subtotal, total_cogs
    return order


@dataclass(frozen=True)
class Recording:
    orders: tuple[bytes, ...]  # pickled chunks of encode(order)
    lines: tuple[bytes, ...]  # pickled chunks of plain OrderLines tuples
    moves: tuple[bytes, ...]  # pickled chunks of plain StockMove tuples
    summary: PlanSummary


class _Chunks:
    def __init__(self) -> None:
        self.done: list[bytes] = []
        self.open: list[Encoded] = []

    def add(self, encoded: Encoded) -> None:
        self.open.append(encoded)
        if len(self.open) >= CHUNK_EVENTS:
            self.done.append(pickle.dumps(self.open, _PROTOCOL))
            self.open = []

    def close(self) -> tuple[bytes, ...]:
        return (*self.done, pickle.dumps(self.open, _PROTOCOL))


@functools.lru_cache(maxsize=1)
def recorded(random_seed: int, profile: Profile) -> Recording:
    orders, lines, moves = _Chunks(), _Chunks(), _Chunks()
    tally = Tally(len(plan_world(random_seed, profile).supply.batches))
    for event in Market(random_seed, profile).run():
        if isinstance(event, StockMove):
            tally.move(event)
            moves.add(tuple(event))
        else:
            tally.order(event)
            encoded = encode(event)
            orders.add(encoded)
            lines.add((event.index, event.created, event.invoice, event.invoiced, encoded[6]))
    return Recording(orders.close(), lines.close(), moves.close(), tally.summary())


def planned_orders(random_seed: int, profile: Profile) -> Iterator[PlannedOrder]:
    """Every order of the simulation (quotes, drafts, cancelled and confirmed sales), in
    the order they were created."""
    for chunk in recorded(random_seed, profile).orders:
        yield from map(decode, pickle.loads(chunk))


def order_lines(random_seed: int, profile: Profile) -> Iterator[OrderLines]:
    """The lines of every order, in the order of planned_orders, without the rest of the
    order: what the two line tables need, several times cheaper to play back."""
    for chunk in recorded(random_seed, profile).lines:
        for index, created, invoice, invoiced, lines in pickle.loads(chunk):
            yield OrderLines(index, created, invoice, invoiced, list(map(PlannedLine._make, lines)))


def stock_moves(random_seed: int, profile: Profile) -> Iterator[StockMove]:
    """Every stock movement of the simulation, in the order they happen to each batch."""
    for chunk in recorded(random_seed, profile).moves:
        yield from map(StockMove._make, pickle.loads(chunk))


def plan_summary(random_seed: int, profile: Profile) -> PlanSummary:
    return recorded(random_seed, profile).summary
