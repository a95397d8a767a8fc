"""Supply: the lots vendors hand over and the batches each lot is split into.

Follows TERP's generator (docs/terp-generator-notes.md): vendors deliver in turn, lots
evenly spread over the history (on weekdays, in office hours), each batch one product;
flower unit cost is the grow's price per pound (x the grade's multiplier) +/- 10 %,
outdoor flower's by the month (cheap after the harvest), other products cost per unit
from their subcategory's range; 90 % of batches on consignment, the rest COD. Every third
batch is a non-flower product, the four other categories in turn, so each category has
batches even in the small profile; flower batches are outdoor mostly at the harvest
(September to November). Non-flower batches are 40-300 master cases; flower batches
10-500 lb as drawn, then scaled so that the flower bought follows what the orders take
(`follow_demand`).

Also decided here, once per batch, what happens to it apart from sales: a sample pulled
at intake, a write-off at intake, a quarantine some days later, or no intake yet at the
anchor (the lot has just arrived).
"""

import random
from dataclasses import dataclass, replace

from seed_data.randomness import stream_for
from terp.datasets.products import (
    FLOWER_GROW_SHARES,
    FLOWER_PRICE_PER_LB,
    FLOWER_PRICE_VARIANCE,
    GRADE_PRICE_MULTIPLIERS,
    NON_FLOWER_UNIT_COSTS,
    OUTDOOR_PRICE_BY_MONTH,
    OUTDOOR_SEASON_WEIGHTS,
)
from terp.plans.clock import ANCHOR_TS, DAY, HOUR, MINUTE, day, history_start_ts, office_moment
from terp.plans.demand import units_per_case
from terp.plans.products import ProductSpec
from terp.profiles import Profile

NON_FLOWER_EVERY = 3
# Supply follows demand: the wholesaler buys about as much flower as it sells. Its buyers
# take FLOWER_SOLD_PER_ORDER pounds per order of any kind, on average (measured from the
# plan: 11.3 at medium, 10.9 at large; tests/test_plans.py keeps it true), and it buys
# FLOWER_COVER times that; the surplus is what ages and is cleared (trading.py).
FLOWER_SOLD_PER_ORDER = 11.1
FLOWER_COVER = 1.15
CONSIGNMENT_SHARE = 0.9  # TERP: 90 % of intake on consignment, else COD
RANGE_COGS_SHARE = 0.1  # batches whose cost is a negotiated range, not one figure
RANGE_COGS_SPREAD = 0.1
SAMPLE_SHARE = 0.2
WRITE_OFF_SHARE = 0.05
QUARANTINE_SHARE = 0.03
AWAITING_SHARE = 0.5  # of the batches received in the anchor's last AWAITING_DAYS
AWAITING_DAYS = 3
# Popularity, TERP's Pareto-like weights: top 20 % weight 12, next 30 % weight 3, rest 1.
TIER_SHARES = (0.2, 0.3, 0.5)
# A batch is sellable an hour after intake; its intake-time movements come before that.
SELLABLE_AFTER = HOUR
SAMPLE_AFTER = 10 * MINUTE
WRITE_OFF_AFTER = 20 * MINUTE


@dataclass(frozen=True, slots=True)
class LotPlan:
    vendor_index: int
    received: int  # epoch seconds; the lot's date is its UTC day


@dataclass(frozen=True, slots=True)
class BatchPlan:
    lot_index: int
    product_index: int
    created: int  # epoch seconds, at or after the lot's arrival
    intake: int  # hundredths of the product's unit
    unit_cogs: int  # cents per unit
    cogs_range: tuple[int, int] | None  # RANGE mode: lowest and highest cents per unit
    consignment: bool
    tier: int  # popularity tier: 0 top, 1 middle, 2 rest
    sample: int  # hundredths pulled as a sample at intake (0: none)
    write_off: int  # hundredths written off at intake (0: none)
    quarantine_after: int | None  # seconds after creation when the rest is quarantined
    awaiting: bool  # not received yet at the anchor: no stock, no movements

    @property
    def sellable_from(self) -> int:
        return self.created + SELLABLE_AFTER


@dataclass(frozen=True)
class Supply:
    lots: list[LotPlan]
    batches: list[BatchPlan]


def lot_schedule(rng: random.Random, profile: Profile) -> list[LotPlan]:
    """Opening lots on the first day, then lots_per_month evenly spread with a day of
    jitter, in time order; vendors deliver in turn."""
    start = history_start_ts(profile.months)
    moments = [start + rng.randrange(8 * HOUR) for _ in range(profile.opening_lots)]
    regular = profile.lots_per_month * profile.months
    last = ANCHOR_TS - DAY // 2
    spacing = (last - start - DAY) / max(regular, 1)
    for index in range(regular):
        centre = start + DAY + int(spacing * (index + 0.5))
        moment = min(max(centre + rng.randrange(-DAY // 2, DAY // 2), start), last)
        # vendors deliver in office hours, on weekdays, an hour before closing at the
        # latest (a lot the last day keeps its moment)
        moment = office_moment(moment)
        moments.append(min(moment, moment - moment % DAY + DAY - HOUR, last))
    moments.sort()
    return [LotPlan(index % profile.vendors, received) for index, received in enumerate(moments)]


class ProductPicker:
    """Products by kind: flower by TERP's grow shares, the other categories in turn."""

    def __init__(self, products: list[ProductSpec]) -> None:
        self.by_grow = {
            grow: [i for i, p in enumerate(products) if p.is_flower and p.subcategory == grow]
            for grow, _ in FLOWER_GROW_SHARES
        }
        self.grow_names = [grow for grow, _ in FLOWER_GROW_SHARES if self.by_grow[grow]]
        grow_weights = [w for grow, w in FLOWER_GROW_SHARES if self.by_grow[grow]]
        # per calendar month: outdoor flower comes mostly with the harvest
        self.seasonal_weights = [
            [
                weight * (season if grow == "Outdoor" else 1.0)
                for grow, weight in zip(self.grow_names, grow_weights, strict=True)
            ]
            for season in OUTDOOR_SEASON_WEIGHTS
        ]
        categories: dict[str, list[int]] = {}
        for index, product in enumerate(products):
            if not product.is_flower:
                categories.setdefault(product.category, []).append(index)
        self.others = list(categories.values())
        self.count = len(products)

    def pick(self, rng: random.Random, serial: int, taken: set[int], month: int) -> int:
        if self.others and serial % NON_FLOWER_EVERY == NON_FLOWER_EVERY // 2:
            candidates = self.others[(serial // NON_FLOWER_EVERY) % len(self.others)]
        else:
            grow = rng.choices(self.grow_names, self.seasonal_weights[month - 1])[0]
            candidates = self.by_grow[grow]
        for _ in range(4):  # a lot holds distinct products (its SKUs are product + lot)
            choice = rng.choice(candidates)
            if choice not in taken:
                return choice
        return next(i for i in range(self.count) if i not in taken)


def unit_cost(rng: random.Random, product: ProductSpec, month: int) -> int:
    if product.is_flower:
        per_pound: float = dict(FLOWER_PRICE_PER_LB)[product.subcategory]
        if product.subcategory == "Outdoor":  # cheap after the harvest
            per_pound *= OUTDOOR_PRICE_BY_MONTH[month - 1]
        base = per_pound * dict(GRADE_PRICE_MULTIPLIERS)[product.grade or "AA"]
        dollars = base * rng.uniform(1 - FLOWER_PRICE_VARIANCE, 1 + FLOWER_PRICE_VARIANCE)
    else:
        low, high = next(
            (r.low, r.high) for r in NON_FLOWER_UNIT_COSTS if r.subcategory == product.subcategory
        )
        dollars = rng.uniform(low, high)
    return round(dollars * 100)


def plan_batch(
    rng: random.Random, lot_index: int, lot: LotPlan, product_index: int, product: ProductSpec
) -> BatchPlan:
    # unpacked within two hours, the same day (a COD lot is paid 30 minutes after)
    closing = lot.received - lot.received % DAY + DAY - 31 * MINUTE
    created = min(lot.received + rng.randrange(2 * HOUR), closing)
    if product.is_flower:
        intake = rng.randrange(1_000, 50_001)  # 10-500 lb, weighed to 0.01 lb
        sample = rng.randrange(10, 51) if rng.random() < SAMPLE_SHARE else 0  # 0.1-0.5 lb
    else:
        intake = 100 * units_per_case(product) * rng.randrange(40, 301)  # whole cases
        sample = 100 * rng.randrange(1, 6) if rng.random() < SAMPLE_SHARE else 0
    cost = unit_cost(rng, product, day(lot.received).month)
    cogs_range = None
    if rng.random() < RANGE_COGS_SHARE:
        cogs_range = (round(cost * (1 - RANGE_COGS_SPREAD)), round(cost * (1 + RANGE_COGS_SPREAD)))
    write_off = 0
    if rng.random() < WRITE_OFF_SHARE:  # shrink found at intake: 0.5-2 % of the weight
        write_off = max(1, int(intake * rng.uniform(0.005, 0.02)))
        if not product.is_flower:
            write_off = max(100, write_off - write_off % 100)
    quarantine_after = rng.randrange(3 * DAY, 60 * DAY) if rng.random() < QUARANTINE_SHARE else None
    awaiting = created > ANCHOR_TS - AWAITING_DAYS * DAY and rng.random() < AWAITING_SHARE
    tier_draw = rng.random()
    tier = 0 if tier_draw < TIER_SHARES[0] else 1 if tier_draw < 1 - TIER_SHARES[2] else 2
    return BatchPlan(
        lot_index=lot_index,
        product_index=product_index,
        created=created,
        intake=intake,
        unit_cogs=cost,
        cogs_range=cogs_range,
        consignment=rng.random() < CONSIGNMENT_SHARE,
        tier=tier,
        sample=0 if awaiting else sample,
        write_off=0 if awaiting else write_off,
        quarantine_after=None if awaiting else quarantine_after,
        awaiting=awaiting,
    )


def supply_plan(random_seed: int, profile: Profile, products: list[ProductSpec]) -> Supply:
    rng = stream_for(random_seed, "plan:supply")
    lots = lot_schedule(rng, profile)
    picker = ProductPicker(products)
    batches: list[BatchPlan] = []
    for lot_index, lot in enumerate(lots):
        taken: set[int] = set()
        size = min(rng.randint(1, 2 * profile.batches_per_lot - 1), len(products))
        for _ in range(size):
            product_index = picker.pick(rng, len(batches), taken, day(lot.received).month)
            taken.add(product_index)
            batches.append(plan_batch(rng, lot_index, lot, product_index, products[product_index]))
    batches = follow_demand(batches, products, profile)
    # ids and codes follow arrival, so the plan's batch order is creation order
    batches.sort(key=lambda batch: batch.created)
    return Supply(lots, batches)


def follow_demand(
    batches: list[BatchPlan], products: list[ProductSpec], profile: Profile
) -> list[BatchPlan]:
    """Flower intake scaled, batch by batch, so that the history's total is what the
    profile's orders are expected to take (times FLOWER_COVER)."""
    flower = [products[batch.product_index].is_flower for batch in batches]
    drawn = sum(batch.intake for batch, is_flower in zip(batches, flower, strict=True) if is_flower)
    wanted = 100 * profile.orders * FLOWER_SOLD_PER_ORDER * FLOWER_COVER
    if not drawn:
        return batches
    scale = wanted / drawn
    return [
        replace(
            batch,
            intake=max(100, round(batch.intake * scale)),
            write_off=batch.write_off and max(1, round(batch.write_off * scale)),
        )
        if is_flower
        else batch
        for batch, is_flower in zip(batches, flower, strict=True)
    ]
