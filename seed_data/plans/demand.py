"""Demand: when orders arrive, from whom, how many lines, how much and at what margin.

- Arrivals: exactly `profile.orders` orders over the profile's months, one slice per
  month; each slice's share follows the season (Q4 about 20 % above the year's average,
  as TERP's archived mock-data plan asks; a dip after New Year, a bump around 4/20) and
  a slow growth of the book (1 % a month). Within a slice, weekday business hours in California
  (Monday-Friday 8:00-18:00 Pacific) are four to ten times as likely as other hours.
- Clients: about 70 % of orders go to the whales (TERP: 10 whales bring 70 % of
  revenue); within each group a client's share is a fixed Pareto-like weight.
- Lines: about 3 an order (TERP's full scenario), 1 to 8.
- Quantities: TERP's buckets, flower 0.5-20 lb in quarter pounds, other products 1-100
  units (scripts/generators/utils.ts).
- Margin: TERP's 25 % +/- 10 % of itself on most lines, a few at 5-10 % or 40-55 %.
"""

import bisect
import itertools
import random
from collections.abc import Iterator

from seed_data.plans.clock import ANCHOR_TS, DAY, HOUR, day
from seed_data.plans.draws import between
from seed_data.plans.units import apportion
from seed_data.profiles import Profile

WHALE_ORDER_SHARE = 0.7
# Seasonal weight of each calendar month, January first.
SEASON = (0.85, 0.9, 0.95, 1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.2, 1.25, 1.3)
MONTHLY_GROWTH = 0.01
# Pacific business hours (8:00-18:00 PST) in UTC hours of the day.
BUSINESS_HOURS_UTC = frozenset((16, 17, 18, 19, 20, 21, 22, 23, 0, 1))
OFF_HOURS_KEEP = 0.1
WEEKEND_KEEP = 0.25
LINE_COUNTS = (1, 2, 3, 4, 5, 6, 7, 8)
LINE_COUNT_WEIGHTS = (0.20, 0.25, 0.22, 0.14, 0.09, 0.05, 0.03, 0.02)  # mean 3.04
LINE_COUNT_CUMULATIVE = tuple(itertools.accumulate(LINE_COUNT_WEIGHTS))
# (lowest, highest) quantity and weight of each bucket; flower in pounds, others in units
Bucket = tuple[float, float, float]
FLOWER_BUCKETS: tuple[Bucket, ...] = ((0.5, 2, 0.1), (2, 5, 0.7), (5, 10, 0.15), (10, 20, 0.05))
UNIT_BUCKETS: tuple[Bucket, ...] = ((1, 10, 0.1), (10, 30, 0.6), (30, 60, 0.2), (60, 100, 0.1))
MARGIN_LOW_SHARE = 0.06
MARGIN_HIGH_SHARE = 0.04


def arrival_times(rng: random.Random, profile: Profile, start: int) -> Iterator[int]:
    """`profile.orders` order times in [start, ANCHOR), in time order, as epoch seconds."""
    edges = [start + (ANCHOR_TS - start) * i // profile.months for i in range(profile.months + 1)]
    weights = [
        SEASON[day((low + high) // 2).month - 1] * (1 + MONTHLY_GROWTH * index)
        for index, (low, high) in enumerate(itertools.pairwise(edges))
    ]
    for (low, high), count in zip(
        itertools.pairwise(edges), apportion(profile.orders, weights), strict=True
    ):
        yield from sorted(_working_moment(rng, low, high) for _ in range(count))


def _working_moment(rng: random.Random, low: int, high: int) -> int:
    # Rejection sampling with acceptance of at least 2.5 %: a handful of draws each.
    while True:
        moment = between(rng, low, high - 1)
        pacific_weekday = day(moment - 8 * HOUR).weekday()
        keep = 1.0 if pacific_weekday < 5 else WEEKEND_KEEP
        if (moment % DAY) // HOUR not in BUSINESS_HOURS_UTC:
            keep *= OFF_HOURS_KEEP
        if keep == 1.0 or rng.random() < keep:
            return moment


class ClientPicker:
    """Whales are client indices 0..whale_clients-1 (the clients revision's order)."""

    def __init__(self, rng: random.Random, profile: Profile) -> None:
        whales = min(profile.whale_clients, profile.clients)
        self.whale_share = WHALE_ORDER_SHARE if 0 < whales < profile.clients else float(whales > 0)
        weights = [rng.paretovariate(2.5) for _ in range(profile.clients)]
        self.whales = list(itertools.accumulate(weights[:whales]))
        self.regulars = list(itertools.accumulate(weights[whales:]))
        self.offset = whales

    def pick(self, rng: random.Random) -> int:
        if rng.random() < self.whale_share:
            return bisect.bisect(self.whales, rng.random() * self.whales[-1])
        return self.offset + bisect.bisect(self.regulars, rng.random() * self.regulars[-1])


def line_count(rng: random.Random) -> int:
    draw = rng.random() * LINE_COUNT_CUMULATIVE[-1]
    return LINE_COUNTS[bisect.bisect(LINE_COUNT_CUMULATIVE, draw)]


def line_quantity(rng: random.Random, flower: bool) -> int:
    """Hundredths: flower in quarter pounds, other products in whole units."""
    buckets = FLOWER_BUCKETS if flower else UNIT_BUCKETS
    draw = rng.random()
    low, high, _ = buckets[-1]
    for bucket_low, bucket_high, weight in buckets:
        draw -= weight
        if draw < 0:
            low, high = bucket_low, bucket_high
            break
    if flower:
        return 25 * between(rng, int(low * 4), int(high * 4))
    return 100 * between(rng, int(low), int(high))


def line_margin(rng: random.Random) -> float:
    draw = rng.random()
    if draw < MARGIN_LOW_SHARE:
        return rng.uniform(0.05, 0.10)
    if draw < MARGIN_LOW_SHARE + MARGIN_HIGH_SHARE:
        return rng.uniform(0.40, 0.55)
    return rng.uniform(0.225, 0.275)


def price_for_margin(cogs: int, margin: float) -> int:
    """Cents per unit that give `margin` of the price over a cost of `cogs` cents."""
    return max(round(cogs / (1 - margin)), cogs + 1)
