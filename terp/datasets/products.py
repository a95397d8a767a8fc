"""Product categories, subcategories, grades, name patterns and wholesale unit costs.

Every money figure is a wholesale cost in USD: what the wholesaler pays its vendor, which
becomes `batches.unit_cogs`; TERP then prices an order line at
`unit_cogs / (1 - margin)` (scripts/generators/orders.ts: margin 25 % +/- 10 % of
itself, i.e. 22.5-27.5 %, with about 1 line in 10 at 5-10 % or 50-70 %).

Sources (public repository EvanTenenbaum/TERP unless said otherwise):
- CATEGORIES: TERP's product categories (`scripts/generators/products.ts`).
- FLOWER_GROWS, FLOWER_PRICE_PER_LB, FLOWER_GROW_SHARES, FLOWER_PRICE_VARIANCE, GRADES:
  `scripts/generators/config.ts` (indoorPrice 1800, greenhousePrice 1200, outdoorPrice
  800 per pound; shares 0.40/0.35/0.25) and `scripts/generators/inventory.ts` (unit COGS
  = grow price +/- 10 %; grades AAA, AA, A).
- FLOWER_FORMS: `scripts/seed/seeders/seed-products.ts` (`PRODUCT_CATEGORIES.Flower`).
- PRODUCT_NAME_FORMATS, UOM_SELLABLE: `scripts/generators/products.ts`
  ("<strain> - <grow> - <grade>" for flower sold by "LB"; "<strain> - <subcategory>"
  for the rest, sold "EA").
- Subcategory names: TERP's (`scripts/generators/products.ts`: Shatter, Wax, Live
  Resin, Distillate; Gummies, Chocolates, Baked Goods; Single, Multi-Pack; Cartridges,
  Disposables; `scripts/seed/seeders/seed-products.ts` adds Rosin, Beverages, Infused,
  Pod), plus hand-written Badder, Diamonds and Mints.
- GRADE_PRICE_MULTIPLIERS: hand-written. TERP draws grades but does not price by them;
  these multipliers average 1.0 over evenly drawn grades, so prices still average
  TERP's per-pound figures.
- CATEGORY_MARGINS: TERP's newer seeder set, `scripts/seed/seeders/pricing.ts` (default
  margin per category: Flower 35 %, Pre-Rolls 40 %, Concentrates 45 %, Edibles 50 %,
  Vapes 40 %).
- UNITS_PER_CASE: hand-written, from how California distributors ship retail-ready units
  (a master case of 50 cartridges or 1 g jars, 48 edible packs, 100 single pre-rolls, 40
  multi-packs). TERP sells non-flower by the unit; wholesale buyers order cases.
- OUTDOOR_SEASON_WEIGHTS, OUTDOOR_PRICE_BY_MONTH: hand-written. California's outdoor
  crop is planted in spring and harvested from September to November, so outdoor flower
  reaches wholesalers in those months and stays cheap while the harvest is sold through
  winter; prices recover as the stock runs down before the next harvest. TERP has no
  seasonal figure (its outdoor price is flat); the multipliers average 1.0 over the
  year, so prices still average TERP's per-pound figure.
- NON_FLOWER_UNIT_COSTS (low, high): hand-written estimates of California wholesale
  costs per retail-ready unit (unit size given in `unit`), from public knowledge of
  retail shelf prices roughly halved; TERP has no per-subcategory figure. TERP's own
  non-flower cost is category-blind: $50 +/- 20 % per unit in
  `scripts/generators/inventory.ts` (TERP_NON_FLOWER_UNIT_COST), $20-$100 in
  `scripts/seed/seeders/seed-batches.ts`.

Why it is safe: product terms and price figures only; no personal or company data.
"""

from typing import NamedTuple


class UnitCostRange(NamedTuple):
    """Wholesale cost range of one non-flower subcategory, USD per unit."""

    category: str
    subcategory: str
    unit: str
    low: float
    high: float


CATEGORIES: tuple[str, ...] = ("Flower", "Concentrates", "Edibles", "Pre-Rolls", "Vapes")

FLOWER_GROWS: tuple[str, ...] = ("Indoor", "Greenhouse", "Outdoor")

# USD per pound, TERP's figures.
FLOWER_PRICE_PER_LB: tuple[tuple[str, int], ...] = (
    ("Indoor", 1800),
    ("Greenhouse", 1200),
    ("Outdoor", 800),
)

# Share of flower products/batches per grow type, TERP's figures.
FLOWER_GROW_SHARES: tuple[tuple[str, float], ...] = (
    ("Indoor", 0.40),
    ("Greenhouse", 0.35),
    ("Outdoor", 0.25),
)

# How much more (or less) often an outdoor product is picked for a lot, per calendar month
# (January first): the harvest months bring most of the year's outdoor flower.
OUTDOOR_SEASON_WEIGHTS: tuple[float, ...] = (0.35,) * 8 + (4.0, 4.0, 4.0, 0.35)

# Outdoor cost per month as a multiple of the per-pound figure (January first): lowest
# after the harvest, highest before the next one; averages 1.0.
# fmt: off
OUTDOOR_PRICE_BY_MONTH: tuple[float, ...] = (
    0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.15, 1.1, 1.0, 0.9, 0.85, 0.85
)
# fmt: on

# TERP spreads each batch's unit COGS uniformly over price * (1 +/- this).
FLOWER_PRICE_VARIANCE: float = 0.10

GRADES: tuple[str, ...] = ("AAA", "AA", "A")

GRADE_PRICE_MULTIPLIERS: tuple[tuple[str, float], ...] = (
    ("AAA", 1.15),
    ("AA", 1.00),
    ("A", 0.85),
)

FLOWER_FORMS: tuple[str, ...] = ("Whole Flower", "Smalls", "Shake", "Pre-Ground")

# str.format patterns for products.name_canonical, per category.
PRODUCT_NAME_FORMATS: tuple[tuple[str, str], ...] = (
    ("Flower", "{strain} - {grow} - {grade}"),
    ("Concentrates", "{strain} - {subcategory}"),
    ("Edibles", "{strain} - {subcategory}"),
    ("Pre-Rolls", "{strain} - {subcategory}"),
    ("Vapes", "{strain} - {subcategory}"),
)

UOM_SELLABLE: tuple[tuple[str, str], ...] = (
    ("Flower", "LB"),
    ("Concentrates", "EA"),
    ("Edibles", "EA"),
    ("Pre-Rolls", "EA"),
    ("Vapes", "EA"),
)

# TERP's single non-flower cost: $50 +/- 20 % (scripts/generators/inventory.ts).
TERP_NON_FLOWER_UNIT_COST: tuple[float, float] = (40.0, 60.0)

NON_FLOWER_UNIT_COSTS: tuple[UnitCostRange, ...] = (
    UnitCostRange("Concentrates", "Badder", "1 g", 10.0, 20.0),
    UnitCostRange("Concentrates", "Diamonds", "1 g", 14.0, 28.0),
    UnitCostRange("Concentrates", "Distillate", "1 g", 6.0, 14.0),
    UnitCostRange("Concentrates", "Live Resin", "1 g", 12.0, 24.0),
    UnitCostRange("Concentrates", "Rosin", "1 g", 18.0, 36.0),
    UnitCostRange("Concentrates", "Shatter", "1 g", 6.0, 14.0),
    UnitCostRange("Concentrates", "Wax", "1 g", 6.0, 14.0),
    UnitCostRange("Edibles", "Baked Goods", "100 mg pack", 6.0, 12.0),
    UnitCostRange("Edibles", "Beverages", "single can", 3.0, 7.0),
    UnitCostRange("Edibles", "Chocolates", "100 mg bar", 7.0, 14.0),
    UnitCostRange("Edibles", "Gummies", "100 mg pack", 6.0, 12.0),
    UnitCostRange("Edibles", "Mints", "100 mg tin", 6.0, 11.0),
    UnitCostRange("Pre-Rolls", "Infused", "1 g", 6.0, 14.0),
    UnitCostRange("Pre-Rolls", "Multi-Pack", "5 x 0.5 g", 10.0, 22.0),
    UnitCostRange("Pre-Rolls", "Single", "1 g", 2.5, 6.0),
    UnitCostRange("Vapes", "Cartridges", "1 g", 10.0, 22.0),
    UnitCostRange("Vapes", "Disposables", "1 g", 12.0, 26.0),
    UnitCostRange("Vapes", "Pods", "0.5 g", 8.0, 16.0),
)

# Average margin of the price, per category (TERP's pricing.ts).
CATEGORY_MARGINS: tuple[tuple[str, float], ...] = (
    ("Flower", 0.35),
    ("Pre-Rolls", 0.40),
    ("Concentrates", 0.45),
    ("Edibles", 0.50),
    ("Vapes", 0.40),
)

# Retail-ready units in one master case, per non-flower category; subcategories that ship
# otherwise are listed on their own.
UNITS_PER_CASE: tuple[tuple[str, int], ...] = (
    ("Concentrates", 50),
    ("Edibles", 48),
    ("Pre-Rolls", 100),
    ("Multi-Pack", 40),
    ("Vapes", 50),
)

# Subcategories per non-flower category, in CATEGORIES order (derived from the above).
NON_FLOWER_SUBCATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (category, tuple(r.subcategory for r in NON_FLOWER_UNIT_COSTS if r.category == category))
    for category in CATEGORIES
    if category != "Flower"
)
