"""The simulation, run once per process and played back after that.

An upgrade replays the trading simulation in several revisions (7 times at head). The
first replay records every event as a tuple of plain values, marshalled in chunks
(about 46 MB at xl, against about 330 MB for the event objects themselves); later
replays rebuild the events from it, about 2.5x faster than simulating again (xl: 1.9 s
against 4.9 s). Playback must equal the simulation exactly: tests/test_plans.py checks
it event for event."""

import functools
import marshal
from collections.abc import Iterator
from datetime import date
from typing import Any

from seed_data.plans.settlement import Settlement
from seed_data.plans.trading import Event, Market, PlannedLine, PlannedOrder, StockMove
from seed_data.profiles import Profile

CHUNK_EVENTS = 5_000
_MOVE, _ORDER = 0, 1

Encoded = tuple[object, ...]


def encode(event: Event) -> Encoded:
    if isinstance(event, StockMove):
        return (_MOVE, event.batch, event.kind, event.change, event.moment, event.order)
    settlement = event.settlement
    return (
        _ORDER,
        event.index,
        event.client,
        event.created,
        event.order_type,
        event.is_draft,
        event.quote_status,
        tuple((line.batch, line.quantity, line.unit_price, line.cogs) for line in event.lines),
        event.terms,
        event.discount,
        event.converted_from,
        event.cancelled,
        event.fulfillment,
        event.invoice,
        event.invoiced,
        None if event.due is None else event.due.toordinal(),
        None
        if settlement is None
        else (settlement.invoice_status, settlement.sale_status, settlement.payments),
        event.subtotal,
        event.total_cogs,
    )


def decode(encoded: Encoded) -> Event:
    fields: Any = encoded  # a recording's tuples hold exactly what encode() put there
    if fields[0] == _MOVE:
        return StockMove(*fields[1:])
    (
        _,
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
        subtotal,
        total_cogs,
    ) = fields
    # Rebuilt field by field: __init__ would recompute the sums the recording holds.
    order = PlannedOrder.__new__(PlannedOrder)
    order.index, order.client, order.created = index, client, created
    order.order_type, order.is_draft, order.quote_status = order_type, is_draft, quote_status
    order.lines = [PlannedLine(*line) for line in lines]
    order.terms, order.discount, order.converted_from = terms, discount, converted_from
    order.cancelled, order.fulfillment = cancelled, fulfillment
    order.invoice, order.invoiced = invoice, invoiced
    order.due = None if due is None else date.fromordinal(due)
    order.settlement = None if settlement is None else Settlement(*settlement)
    order.subtotal, order.total_cogs = subtotal, total_cogs
    return order


@functools.lru_cache(maxsize=1)
def _recording(random_seed: int, profile: Profile) -> tuple[bytes, ...]:
    chunks: list[bytes] = []
    chunk: list[Encoded] = []
    for event in Market(random_seed, profile).run():
        chunk.append(encode(event))
        if len(chunk) >= CHUNK_EVENTS:
            chunks.append(marshal.dumps(chunk))
            chunk = []
    chunks.append(marshal.dumps(chunk))
    return tuple(chunks)


def played_back(random_seed: int, profile: Profile) -> Iterator[Event]:
    for chunk in _recording(random_seed, profile):
        for encoded in marshal.loads(chunk):
            yield decode(encoded)
