"""The trading simulation, run once per process and played back after that.

An upgrade replays the simulation in several revisions. The first replay records it as
streams of plain tuples, pickled in chunks (about 60 MB at xl, against about 330 MB for
the event objects): the orders, with their lines and settlements; the lines again, with
only what the line tables need; and the stock movements. A revision plays back only the
streams it writes, and rebuilds only cheap values (named tuples; an order is refilled field
by field, skipping its __init__). The counts every revision needs up front are tallied
while recording. Playback must equal the simulation exactly: tests/test_plans.py checks it
event for event.

An upgrade that will run a plan-driven revision records ahead (`record_ahead`, through
the project's `prepare`): a forked child process simulates on the other core while this
one takes the lock, checks the plan and runs the revisions before the batches revision,
and hands the recording over through a pipe. Should the child fail, the recording is made
here, where the same error, if any, is raised in the revision's transaction."""

import contextlib
import gc
import multiprocessing
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from multiprocessing.connection import Connection
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


Ship = Callable[[int, bytes], None]  # (stream number, a pickled chunk)


class _Chunks:
    """One stream's chunks: kept, or shipped to the parent process as each fills."""

    def __init__(self, number: int, ship: Ship | None = None) -> None:
        self.number, self.ship = number, ship
        self.done: list[bytes] = []
        self.open: list[Encoded] = []

    def add(self, encoded: Encoded) -> None:
        self.open.append(encoded)
        if len(self.open) >= CHUNK_EVENTS:
            self.flush()

    def flush(self) -> None:
        chunk, self.open = pickle.dumps(self.open, _PROTOCOL), []
        if self.ship is None:
            self.done.append(chunk)
        else:
            self.ship(self.number, chunk)

    def close(self) -> tuple[bytes, ...]:
        self.flush()
        return tuple(self.done)


def _record(random_seed: int, profile: Profile, ship: Ship | None = None) -> Recording:
    orders, lines, moves = (_Chunks(number, ship) for number in range(3))
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


Key = tuple[int, Profile]
_last: tuple[Key, Recording] | None = None  # one recording per process, as runs need
_SUMMARY = 255  # the last message from the child: the pickled summary
_running: dict[Key, "_Ahead"] = {}  # recordings under way in a child process


def recorded(random_seed: int, profile: Profile) -> Recording:
    global _last
    key = (random_seed, profile)
    if _last is None or _last[0] != key:
        _last = None  # the old recording is freed before the new one is made
        ahead = _running.pop(key, None)
        recording = ahead.result() if ahead is not None else None
        _last = (key, recording or _record(random_seed, profile))
    return _last[1]


def record_ahead(random_seed: int, profile: Profile) -> None:
    """Start recording in a child process; `recorded` takes the result."""
    key = (random_seed, profile)
    if key not in _running and (_last is None or _last[0] != key):
        for other in _running.values():  # a run that never replayed: not needed
            other.abandon()
        _running.clear()
        # no process to spare (a container's limit): recorded() records in-process
        with contextlib.suppress(OSError):
            _running[key] = _Ahead(random_seed, profile)


class _Ahead:
    """A recording made in a forked child process. The child ships each chunk as it fills
    and the summary last; a thread of this process gathers them, so the child holds only
    the simulation and the pipe never waits for this process to be idle."""

    def __init__(self, random_seed: int, profile: Profile) -> None:
        # fork: the child starts at once with what this process has imported, and only
        # computes; it never uses the parent's database connection and leaves through
        # os._exit, so nothing of the parent's is closed or flushed twice.
        context = multiprocessing.get_context("fork")
        self.receiving, sending = context.Pipe(duplex=False)
        self.child = context.Process(
            target=_record_into, args=(sending, random_seed, profile), daemon=True
        )
        try:
            self.child.start()
        except OSError:
            self.receiving.close()
            raise
        finally:
            sending.close()
        self.recording: Recording | None = None
        self.gatherer = threading.Thread(target=self.gather, daemon=True)
        self.gatherer.start()

    def gather(self) -> None:
        streams: tuple[list[bytes], ...] = ([], [], [])
        try:
            while (message := self.receiving.recv_bytes())[0] != _SUMMARY:
                streams[message[0]].append(message[1:])
            summary = pickle.loads(message[1:])
        except (EOFError, OSError):  # the child failed or was ended: recorded() records
            return
        orders, lines, moves = map(tuple, streams)
        self.recording = Recording(orders, lines, moves, summary)

    def result(self) -> Recording | None:
        self.gatherer.join()
        self.receiving.close()
        self.child.join()
        return self.recording

    def abandon(self) -> None:
        self.child.terminate()
        self.result()


def _record_into(sending: Connection, random_seed: int, profile: Profile) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and, exiting, ends
    # this daemon child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.disable()  # as in a revision (seeding.collector_paused): no cycles, only garbage

    def ship(number: int, chunk: bytes) -> None:
        sending.send_bytes(bytes((number,)) + chunk)

    try:
        summary = _record(random_seed, profile, ship).summary
        sending.send_bytes(bytes((_SUMMARY,)) + pickle.dumps(summary, _PROTOCOL))
    except BaseException:  # the parent records itself, and meets the same error there
        pass
    finally:
        sending.close()


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
