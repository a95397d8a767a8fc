"""Demand: when orders arrive, from whom, how many lines, how much and at what margin.

- Arrivals: exactly `profile.orders` orders over the profile's months, one slice per
  month; each slice's share follows the season (Q4 about 20 % above the year's average,
  as TERP's archived mock-data plan asks; a dip after New Year, a bump around 4/20) and
  a slow growth of the book (1 % a month). Within a slice, buyers order in California
  office hours: an hour outside 8:00-18:00 Pacific is kept 1 time in 100, a weekend day
  15 times in 100, so about 99 % of orders fall between 7:00 and 19:00 and 95 % on
  weekdays.
- Clients: about 60 % of orders go to the whales, and with their bigger orders they
  bring about 70 % of revenue (TERP: 10 whales bring 70 %); within each group a client's
  share is a fixed Pareto-like weight. Each client
  pays its own way: whales 90 % good payers, 10 % slow; regulars 73 % good, 15 % slow,
  12 % bad accounts (terp.plans.settlement).
- Lines: about 3 an order (TERP's full scenario), 1 to 8.
- Quantities: flower in TERP's buckets, 0.5-20 lb in quarter pounds
  (scripts/generators/utils.ts); other products by the master case, 1-24 cases of the
  category's case size (a wholesale buyer orders cases, not a few units). A whale's lines
  are 1.3 to 2 times as large, the heaviest whale's the largest: the biggest accounts buy
  more per order, not only more often.
- Margin: each category's own (TERP's pricing.ts: Flower 35 %, Pre-Rolls and Vapes 40 %,
  Concentrates 45 %, Edibles 50 %), spread continuously around it (sd 3 points, at most
  9 either way); 5 % of lines are deals well under it (5 % up to 10 points below).
"""

import bisect
import itertools
import random
from collections.abc import Iterator

from terp.datasets.products import CATEGORY_MARGINS, UNITS_PER_CASE
from terp.plans.clock import ANCHOR_TS, DAY, HOUR, day
from terp.plans.draws import between
from terp.plans.products import ProductSpec
from terp.plans.settlement import Behaviour
from terp.plans.units import apportion
from terp.profiles import Profile

WHALE_ORDER_SHARE = 0.6
BEHAVIOURS = (Behaviour.GOOD, Behaviour.SLOW, Behaviour.BAD)
WHALE_BEHAVIOUR = (0.9, 0.1, 0.0)
REGULAR_BEHAVIOUR = (0.73, 0.15, 0.12)
# Seasonal weight of each calendar month, January first.
SEASON = (0.85, 0.9, 0.95, 1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.2, 1.25, 1.3)
MONTHLY_GROWTH = 0.01
# Pacific business hours (8:00-18:00 PST) in UTC hours of the day.
BUSINESS_HOURS_UTC = frozenset((16, 17, 18, 19, 20, 21, 22, 23, 0, 1))
OFF_HOURS_KEEP = 0.01
WEEKEND_KEEP = 0.15
LINE_COUNTS = (1, 2, 3, 4, 5, 6, 7, 8)
LINE_COUNT_WEIGHTS = (0.20, 0.25, 0.22, 0.14, 0.09, 0.05, 0.03, 0.02)  # mean 3.04
LINE_COUNT_CUMULATIVE = tuple(itertools.accumulate(LINE_COUNT_WEIGHTS))
# (lowest, highest) quantity and weight of each bucket; flower in pounds, others in units
Bucket = tuple[float, float, float]
FLOWER_BUCKETS: tuple[Bucket, ...] = ((0.5, 2, 0.1), (2, 5, 0.7), (5, 10, 0.15), (10, 20, 0.05))
CASE_BUCKETS: tuple[Bucket, ...] = ((1, 2, 0.25), (3, 6, 0.5), (7, 12, 0.2), (13, 24, 0.05))
# Whales buy bigger orders, the biggest (most frequent) whale the most: quantities scaled
# from WHALE_SCALE_TOP for the heaviest whale down to WHALE_SCALE_LAST for the lightest.
WHALE_SCALE_TOP = 2.0
WHALE_SCALE_LAST = 1.3
MARGINS = dict(CATEGORY_MARGINS)
CASE_SIZES = dict(UNITS_PER_CASE)
MARGIN_SPREAD = 0.03
MARGIN_CLIP = 0.09
DEAL_SHARE = 0.05
DEAL_BELOW = 0.10


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
    # Rejection sampling: about a third of draws are kept, so three draws each on average.
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
        # how each client pays: whales are good or slow payers, a few regulars are bad
        self.behaviours = [
            rng.choices(BEHAVIOURS, WHALE_BEHAVIOUR if client < whales else REGULAR_BEHAVIOUR)[0]
            for client in range(profile.clients)
        ]

        # order size follows the whale's weight: its rank among whales, heaviest first
        by_weight = sorted(range(whales), key=lambda whale: -weights[whale])
        step = (WHALE_SCALE_TOP - WHALE_SCALE_LAST) / max(whales - 1, 1)
        self.scales = [1.0] * profile.clients
        for rank, whale in enumerate(by_weight):
            self.scales[whale] = WHALE_SCALE_TOP - step * rank

    def quantity_scale(self, client: int) -> float:
        return self.scales[client]

    def pick(self, rng: random.Random) -> int:
        if rng.random() < self.whale_share:
            return bisect.bisect(self.whales, rng.random() * self.whales[-1])
        return self.offset + bisect.bisect(self.regulars, rng.random() * self.regulars[-1])


def line_count(rng: random.Random) -> int:
    draw = rng.random() * LINE_COUNT_CUMULATIVE[-1]
    return LINE_COUNTS[bisect.bisect(LINE_COUNT_CUMULATIVE, draw)]


def _bucket(rng: random.Random, buckets: tuple[Bucket, ...]) -> tuple[float, float]:
    draw = rng.random()
    for low, high, weight in buckets:
        draw -= weight
        if draw < 0:
            return low, high
    return buckets[-1][0], buckets[-1][1]


def units_per_case(product: ProductSpec) -> int:
    return CASE_SIZES.get(product.subcategory) or CASE_SIZES[product.category]


def line_quantity(rng: random.Random, product: ProductSpec, scale: float = 1.0) -> int:
    """Hundredths: flower in quarter pounds, other products in whole cases of units."""
    if product.is_flower:
        low, high = _bucket(rng, FLOWER_BUCKETS)
        return 25 * max(2, round(between(rng, int(low * 4), int(high * 4)) * scale))
    low, high = _bucket(rng, CASE_BUCKETS)
    cases = max(1, round(between(rng, int(low), int(high)) * scale))
    return 100 * units_per_case(product) * cases


def line_margin(rng: random.Random, category: str) -> float:
    mean = MARGINS[category]
    if rng.random() < DEAL_SHARE:
        return rng.uniform(0.05, mean - DEAL_BELOW)
    return mean + max(-MARGIN_CLIP, min(MARGIN_CLIP, rng.gauss(0.0, MARGIN_SPREAD)))


def price_for_margin(cogs: int, margin: float) -> int:
    """Cents per unit that give `margin` of the price over a cost of `cogs` cents."""
    return max(round(cogs / (1 - margin)), cogs + 1)
