"""The trading simulation: supply, demand and stock, walked through time.

One replayable event stream (pure in the random seed and profile) yields every order with
its lines and settlement, and every stock movement, in the order they happen to each
batch. Revisions replay it and keep what concerns their tables: the batches revision sums
the movements per batch, the orders revision writes orders and lines, the movements
revision writes the movements. Stock is tracked per batch while lines are drawn, so a
sale never takes more than the batch holds; quotes and draft sales take nothing.

Orders: about 20 % of arrivals are quotes, and 40 % of those are converted into a sale
(the quote written with the sale that replaces it, created hours or days before it).
Sales of the last few days may still be drafts; 2 % of older sales were cancelled. A
confirmed sale moves stock at its creation, is invoiced minutes later and is settled by
terp.plans.settlement, by how its client pays.

Credit: a client holding debt more than 90 days past due buys COD only; what a bad
account still owes 180 days past due is written off (the invoice is voided), and it buys
COD only from then on. After a sale (TERP's rates): 0.5 % of paid sales are partly
returned 1-30 days later (the goods go back to their batch, REFUND_RETURN; the buyer is
refunded their value less a 10 % restocking fee), and 5 % of paid sales get a refund of
5 % of their total 1-60 days later. A refund reduces the invoice's total (as a discount)
and what it counts as paid alike, so nothing becomes due.
"""

import functools
import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from seed_data.randomness import stream_for
from terp.plans.clock import (
    ANCHOR_TS,
    DAY,
    HOUR,
    MINUTE,
    day,
    history_start_ts,
    is_office_time,
    midnight,
    office_moment,
    plus_days,
)
from terp.plans.demand import (
    ClientPicker,
    arrival_times,
    line_count,
    line_margin,
    line_quantity,
    price_for_margin,
    units_per_case,
)
from terp.plans.draws import between
from terp.plans.products import ProductSpec, product_specs
from terp.plans.settlement import (
    TERM_DAYS,
    TERM_WEIGHTS,
    TERMS,
    Behaviour,
    Settlement,
    settle,
)
from terp.plans.supply import (
    SAMPLE_AFTER,
    WRITE_OFF_AFTER,
    BatchPlan,
    Supply,
    supply_plan,
)
from terp.plans.units import round_cents, share_of, times_price
from terp.profiles import Profile

QUOTE_SHARE = 0.2
CONVERTED_SHARE = 0.4
QUOTE_TIME_TRIES = 8
DRAFT_WINDOW = 5 * DAY
DRAFT_SHARE = 0.3
CANCELLED_SHARE = 0.02
DISCOUNT_SHARE = 0.08  # orders with a 2-5 % volume discount; TERP charges no tax
RECENT_QUOTE = 14 * DAY
RECENT_QUOTE_STATUSES = (("DRAFT", 0.3), ("SENT", 0.5), ("ACCEPTED", 0.2))
OLD_QUOTE_STATUSES = (("REJECTED", 0.35), ("EXPIRED", 0.65))
POPULARITY_WEIGHTS = (12, 3, 1)
# Ageing stock: discounted after three months; cleared out unsold after five (consignment
# goes back to its vendor, RETURN) or eight (the wholesaler's own, written off as
# DISPOSAL). No batch is still on sale at a year.
AGED_AFTER = 90 * DAY
AGED_MARGIN_FACTOR = 0.5
CONSIGNMENT_CLEARED_AFTER = 150 * DAY
OWNED_CLEARED_AFTER = 240 * DAY
ON_HOLD_PAST_DUE = 90 * DAY  # debt this far past due: COD only
WRITE_OFF_PAST_DUE = 180 * DAY
RETURN_SHARE = 0.005
RETURN_WITHIN = (DAY, 30 * DAY)
RESTOCKING_FEE = 0.10
REFUND_SHARE = 0.05
REFUND_RATE = 0.05
REFUND_WITHIN = (DAY, 60 * DAY)
DUPLICATE_RETRIES = 2


def clear_after(batch: BatchPlan) -> int:
    return CONSIGNMENT_CLEARED_AFTER if batch.consignment else OWNED_CLEARED_AFTER


class PlanError(RuntimeError):
    """A profile whose supply cannot carry its demand (a bug in the profile's sizing)."""


@dataclass(frozen=True)
class World:
    products: list[ProductSpec]
    supply: Supply


@functools.lru_cache(maxsize=4)
def plan_world(random_seed: int, profile: Profile) -> World:
    """The catalog and supply plans: small lists, shared by every replay in a process."""
    products = product_specs(random_seed, profile)
    return World(products, supply_plan(random_seed, profile, products))


class Aftercare(NamedTuple):
    """What happened to a confirmed sale after it was paid, or not."""

    written_off: int | None = None  # when its unpaid rest was written off (invoice VOID)
    refund: tuple[int, int] | None = None  # (moment, cents) sent back to the buyer
    # (moment, line index, quantity in hundredths, cents refunded) of a partial return
    returned: tuple[int, int, int, int] | None = None

    @property
    def refunded(self) -> int:
        return (self.refund[1] if self.refund else 0) + (self.returned[3] if self.returned else 0)


class PlannedLine(NamedTuple):
    batch: int
    quantity: int  # hundredths of the product's unit
    unit_price: int  # cents
    cogs: int  # cents per unit

    @property
    def total(self) -> int:
        return times_price(self.quantity, self.unit_price)


@dataclass(slots=True)
class PlannedOrder:
    index: int
    client: int
    created: int
    order_type: str  # QUOTE or SALE
    is_draft: bool
    quote_status: str | None
    lines: list[PlannedLine]
    terms: str
    discount: int = 0
    converted_from: int | None = None
    cancelled: bool = False
    fulfillment: str = "PENDING"
    invoice: int | None = None  # index of its invoice, for confirmed sales
    invoiced: int = 0  # when the invoice was created
    due: date | None = None
    settlement: Settlement | None = None
    aftercare: Aftercare | None = None
    subtotal: int = field(init=False, default=0)
    total_cogs: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.subtotal = sum(line.total for line in self.lines)
        self.total_cogs = round_cents(sum(line.quantity * line.cogs for line in self.lines))

    @property
    def total(self) -> int:
        return self.subtotal - self.discount  # tax is 0, as in TERP's generator

    @property
    def confirmed(self) -> bool:
        return self.order_type == "SALE" and not self.is_draft and not self.cancelled

    @property
    def sale_status(self) -> str | None:
        if self.order_type == "QUOTE":
            return None
        if self.cancelled:
            return "CANCELLED"
        return self.settlement.sale_status if self.settlement else "PENDING"


class OrderLines(NamedTuple):
    """An order's lines with the order fields the line tables need."""

    order: int  # the order's index
    created: int
    invoice: int | None
    invoiced: int
    lines: list[PlannedLine]


class StockMove(NamedTuple):
    batch: int
    # INTAKE, SAMPLE, ADJUSTMENT, QUARANTINE, SALE, REFUND_RETURN, RETURN or DISPOSAL
    kind: str
    change: int  # hundredths, signed
    moment: int
    order: int | None = None  # the order index of a SALE or a REFUND_RETURN


Event = PlannedOrder | StockMove


class Pool:
    """Sellable batches by popularity tier; O(1) weighted pick, add and removal."""

    def __init__(self) -> None:
        self.tiers: tuple[list[int], list[int], list[int]] = ([], [], [])
        self.where: dict[int, tuple[int, int]] = {}

    def add(self, batch: int, tier: int) -> None:
        self.where[batch] = (tier, len(self.tiers[tier]))
        self.tiers[tier].append(batch)

    def discard(self, batch: int) -> None:
        place = self.where.pop(batch, None)
        if place is None:
            return
        tier, position = place
        members = self.tiers[tier]
        last = members.pop()
        if last != batch:
            members[position] = last
            self.where[last] = (tier, position)

    def pick(self, rng: random.Random) -> int | None:
        top, middle, rest = self.tiers
        top_weight = POPULARITY_WEIGHTS[0] * len(top)
        middle_weight = POPULARITY_WEIGHTS[1] * len(middle)
        total = top_weight + middle_weight + len(rest)
        if not total:
            return None
        draw = rng.random() * total
        if draw < top_weight:
            return top[min(int(draw / POPULARITY_WEIGHTS[0]), len(top) - 1)]
        draw -= top_weight
        if draw < middle_weight:
            return middle[min(int(draw / POPULARITY_WEIGHTS[1]), len(middle) - 1)]
        return rest[min(int(draw - middle_weight), len(rest) - 1)]


class Market:
    """The simulation's state: stock per batch, the sellable pool and timed batch events."""

    SELLABLE, QUARANTINE, AGED, CLEARED, RETURNED = 0, 1, 2, 3, 4

    def __init__(self, random_seed: int, profile: Profile) -> None:
        world = plan_world(random_seed, profile)
        self.profile = profile
        self.batches: list[BatchPlan] = world.supply.batches
        self.products = [world.products[b.product_index] for b in self.batches]
        # the least a line takes: half a pound, or one case
        self.min_line = [
            50 if product.is_flower else 100 * units_per_case(product) for product in self.products
        ]
        self.rng = stream_for(random_seed, "plan:orders")
        self.settle_rng = stream_for(random_seed, "plan:settlement")
        self.start = history_start_ts(profile.months) + DAY
        self.clients = ClientPicker(self.rng, profile)
        self.stock = [0] * len(self.batches)
        self.aged = [False] * len(self.batches)
        self.closed = [False] * len(self.batches)  # quarantined or cleared: sells no more
        # credit: each bad account's invoices (due, total, payments); COD-only since when
        self.debts: dict[int, list[tuple[int, int, tuple[tuple[int, int], ...]]]] = {}
        self.cod_only: dict[int, int] = {}
        self.pool = Pool()
        # (moment, kind, batch, (order, quantity) of a return or ()), in time order
        self.timed: list[tuple[int, int, int, tuple[int, int] | tuple[()]]] = []
        self.next_intake = 0
        self.orders = 0
        self.invoices = 0

    # --- supply ------------------------------------------------------------------------

    def supply_until(self, moment: int) -> Iterator[StockMove]:
        """Intakes and timed batch events up to `moment`, in time order."""
        batches, timed = self.batches, self.timed
        while True:
            intake_at = (
                batches[self.next_intake].created if self.next_intake < len(batches) else None
            )
            timed_at = timed[0][0] if timed else None
            if (
                intake_at is not None
                and intake_at <= moment
                and (timed_at is None or intake_at <= timed_at)
            ):
                self.next_intake += 1
                yield from self.receive(self.next_intake - 1)
            elif timed_at is not None and timed_at <= moment:
                at, kind, batch, returned = heapq.heappop(timed)
                if kind == self.SELLABLE:
                    self.pool.add(batch, batches[batch].tier)
                elif kind == self.AGED:
                    self.aged[batch] = True
                elif kind == self.RETURNED:
                    yield from self.take_back(batch, at, returned)
                elif self.stock[batch] > 0:
                    # quarantined, or cleared out unsold: back to its consignor, or
                    # written off when the wholesaler owns it
                    if kind == self.QUARANTINE:
                        move = "QUARANTINE"
                    else:
                        move = "RETURN" if batches[batch].consignment else "DISPOSAL"
                    yield StockMove(batch, move, -self.stock[batch], at)
                    self.stock[batch] = 0
                    self.pool.discard(batch)
                if kind in (self.QUARANTINE, self.CLEARED):
                    self.closed[batch] = True
            else:
                return

    def receive(self, index: int) -> Iterator[StockMove]:
        batch = self.batches[index]
        if batch.awaiting:
            return
        self.stock[index] = batch.intake
        yield StockMove(index, "INTAKE", batch.intake, batch.created)
        if batch.sample:
            self.stock[index] -= batch.sample
            yield StockMove(index, "SAMPLE", -batch.sample, batch.created + SAMPLE_AFTER)
        if batch.write_off:
            self.stock[index] -= batch.write_off
            yield StockMove(index, "ADJUSTMENT", -batch.write_off, batch.created + WRITE_OFF_AFTER)
        heapq.heappush(self.timed, (batch.sellable_from, self.SELLABLE, index, ()))
        for after, kind in ((AGED_AFTER, self.AGED), (clear_after(batch), self.CLEARED)):
            if batch.created + after < ANCHOR_TS:
                heapq.heappush(self.timed, (batch.created + after, kind, index, ()))
        if batch.quarantine_after is not None:
            quarantine_at = batch.created + batch.quarantine_after
            if quarantine_at < ANCHOR_TS:
                heapq.heappush(self.timed, (quarantine_at, self.QUARANTINE, index, ()))

    def take_back(
        self, batch: int, at: int, returned: tuple[int, int] | tuple[()]
    ) -> Iterator[StockMove]:
        """Goods a buyer returned go back to their batch; if the batch no longer sells
        (quarantined, or cleared out), they are written off at once."""
        order, quantity = returned  # type: ignore[misc]
        yield StockMove(batch, "REFUND_RETURN", quantity, at, order)
        if self.closed[batch]:
            yield StockMove(batch, "DISPOSAL", -quantity, at + MINUTE, order)
            return
        if not self.stock[batch]:
            self.pool.add(batch, self.batches[batch].tier)
        self.stock[batch] += quantity

    # --- demand ------------------------------------------------------------------------

    def draw_lines(self, consume: bool, client: int) -> list[PlannedLine]:
        rng, stock = self.rng, self.stock
        scale = self.clients.quantity_scale(client)
        lines: list[PlannedLine] = []
        used: set[int] = set()
        for _ in range(line_count(rng)):
            for _ in range(DUPLICATE_RETRIES + 1):
                picked = self.pool.pick(rng)
                if picked is None or picked not in used:
                    break
            if picked is None or picked in used:
                continue
            used.add(picked)
            available = stock[picked]
            product = self.products[picked]
            quantity = line_quantity(rng, product, scale)
            if not consume:
                quantity = min(quantity, available)
            else:
                # never leave less than one sellable line behind: sell the remainder too
                if available - quantity < self.min_line[picked]:
                    quantity = available
                stock[picked] -= quantity
                if not stock[picked]:
                    self.pool.discard(picked)
            batch = self.batches[picked]
            cogs = between(rng, *batch.cogs_range) if batch.cogs_range else batch.unit_cogs
            margin = line_margin(rng, product.category)
            if self.aged[picked]:  # old stock moves at a discount
                margin *= AGED_MARGIN_FACTOR
            price = price_for_margin(cogs, margin)
            lines.append(PlannedLine(picked, quantity, price, cogs))
        if not lines:
            raise PlanError(
                f"profile {self.profile.name}: no stock left to sell; raise its lots_per_month"
            )
        return lines

    def discount(self, lines: list[PlannedLine]) -> int:
        if self.rng.random() >= DISCOUNT_SHARE:
            return 0
        return share_of(sum(line.total for line in lines), self.rng.uniform(0.02, 0.05))

    def on_hold(self, client: int, at: int) -> bool:
        """Whether the client buys COD only at `at`: it holds debt 90 days past due, or a
        debt of it was written off."""
        since = self.cod_only.get(client)
        if since is not None and since <= at:
            return True
        return any(
            due + ON_HOLD_PAST_DUE < at and sum(c for m, c in payments if m <= at) < total
            for due, total, payments in self.debts.get(client, ())
        )

    def order(
        self, created: int, client: int, order_type: str, lines: list[PlannedLine]
    ) -> PlannedOrder:
        terms = self.rng.choices(TERMS, TERM_WEIGHTS)[0]
        if self.on_hold(client, created):
            terms = "COD"
        order = PlannedOrder(
            index=self.orders,
            client=client,
            created=created,
            order_type=order_type,
            is_draft=False,
            quote_status=None,
            lines=lines,
            terms=terms,
            discount=self.discount(lines),
        )
        self.orders += 1
        return order

    def confirm(self, order: PlannedOrder) -> Iterator[Event]:
        age = ANCHOR_TS - order.created
        order.fulfillment = "PENDING" if age < DAY else "PACKED" if age < 3 * DAY else "SHIPPED"
        order.invoice = self.invoices
        self.invoices += 1
        order.invoiced = min(order.created + between(self.rng, 5 * MINUTE, 2 * HOUR), ANCHOR_TS)
        order.due = plus_days(day(order.created), TERM_DAYS[order.terms])
        behaviour = self.clients.behaviours[order.client]
        settlement = settle(
            self.settle_rng, order.terms, order.invoiced, order.due, order.total, behaviour
        )
        order.settlement = settlement
        order.aftercare = self.aftercare(order, settlement, behaviour)
        yield order
        for line in order.lines:
            yield StockMove(line.batch, "SALE", -line.quantity, order.created, order.index)
        if order.aftercare and order.aftercare.returned:
            at, line_index, quantity, _ = order.aftercare.returned
            batch = order.lines[line_index].batch
            heapq.heappush(self.timed, (at, self.RETURNED, batch, (order.index, quantity)))

    def aftercare(
        self, order: PlannedOrder, settlement: Settlement, behaviour: Behaviour
    ) -> Aftercare | None:
        """Write-off of a bad debt, or a return or a refund of a paid sale."""
        assert order.due is not None
        rng, due = self.settle_rng, midnight(order.due)
        unpaid = settlement.paid < order.total
        if unpaid or settlement.payments[-1][0] > due + ON_HOLD_PAST_DUE:
            # ever more than 90 days past due: later sales check it (on_hold)
            self.debts.setdefault(order.client, []).append((due, order.total, settlement.payments))
        if unpaid:
            if behaviour is Behaviour.BAD:
                written_off = due + WRITE_OFF_PAST_DUE
                if written_off <= ANCHOR_TS:
                    since = self.cod_only.get(order.client, written_off)
                    self.cod_only[order.client] = min(since, written_off)
                    return Aftercare(written_off=written_off)
            return None
        paid_at = settlement.payments[-1][0] if settlement.payments else order.invoiced
        draw = rng.random()
        if draw < RETURN_SHARE:
            at = office_moment(max(order.created + between(rng, *RETURN_WITHIN), paid_at))
            line_index = rng.randrange(len(order.lines))
            line = order.lines[line_index]
            unit = self.min_line[line.batch]
            quantity = max(unit, line.quantity * rng.randint(1, 4) // 4 // unit * unit)
            quantity = min(quantity, line.quantity)
            cents = round(times_price(quantity, line.unit_price) * (1 - RESTOCKING_FEE))
            if at <= ANCHOR_TS and cents > 0:
                return Aftercare(returned=(at, line_index, quantity, cents))
        elif draw < RETURN_SHARE + REFUND_SHARE:
            at = office_moment(max(order.created + between(rng, *REFUND_WITHIN), paid_at))
            cents = share_of(order.total, REFUND_RATE)
            if at <= ANCHOR_TS and cents > 0:
                return Aftercare(refund=(at, cents))
        return None

    def sale(self, created: int, client: int) -> Iterator[Event]:
        rng = self.rng
        age = ANCHOR_TS - created
        draft = age < DRAFT_WINDOW and rng.random() < DRAFT_SHARE
        cancelled = not draft and age > 2 * DAY and rng.random() < CANCELLED_SHARE
        lines = self.draw_lines(not (draft or cancelled), client)
        order = self.order(created, client, "SALE", lines)
        order.is_draft, order.cancelled = draft, cancelled
        if draft or cancelled:
            yield order
        else:
            yield from self.confirm(order)

    def quote(self, created: int, client: int) -> PlannedOrder:
        statuses = (
            RECENT_QUOTE_STATUSES if ANCHOR_TS - created < RECENT_QUOTE else OLD_QUOTE_STATUSES
        )
        status = self.rng.choices([s for s, _ in statuses], [w for _, w in statuses])[0]
        order = self.order(created, client, "QUOTE", self.draw_lines(False, client))
        order.quote_status, order.is_draft = status, status == "DRAFT"
        return order

    def converted_quote(self, created: int, client: int) -> Iterator[Event]:
        """A sale that replaces an accepted quote: the quote was made hours or days
        earlier, but not before its batches could be sold."""
        lines = self.draw_lines(True, client)
        # the quote was asked for in office hours too: a few tries, else an hour before
        asked = created - HOUR
        for _ in range(QUOTE_TIME_TRIES):
            moment = created - between(self.rng, HOUR, 5 * DAY)
            if is_office_time(moment):
                asked = moment
                break
        earliest = max(self.batches[line.batch].sellable_from for line in lines)
        quote = self.order(max(asked, earliest, self.start), client, "QUOTE", list(lines))
        quote.quote_status = "CONVERTED"
        sale = self.order(created, client, "SALE", lines)
        # the sale keeps what the quote agreed (its own draws are overridden)
        sale.terms, sale.discount, sale.converted_from = quote.terms, quote.discount, quote.index
        if self.on_hold(client, created):  # the quote's terms, unless credit stopped since
            sale.terms = "COD"
        yield quote
        yield from self.confirm(sale)

    def run(self) -> Iterator[Event]:
        rng, total = self.rng, self.profile.orders
        skip_next = False
        for arrival in arrival_times(rng, self.profile, self.start):
            if skip_next:  # its slot went to the quote of a converted pair
                skip_next = False
                continue
            yield from self.supply_until(arrival)
            client = self.clients.pick(rng)
            if rng.random() >= QUOTE_SHARE:
                yield from self.sale(arrival, client)
            elif rng.random() < CONVERTED_SHARE and self.orders + 2 <= total:
                skip_next = True
                yield from self.converted_quote(arrival, client)
            else:
                yield self.quote(arrival, client)
        yield from self.supply_until(ANCHOR_TS)
