"""Which products the catalog holds, as a plan, so the batches plan knows each product's
category, grow, grade and unit without reading the catalog back.

TERP's mix: about 90 % flower, split over grows by TERP's shares (Indoor 40 %,
Greenhouse 35 %, Outdoor 25 %), named "<strain> - <grow> - <grade>" and sold by the
pound; the rest split evenly over Concentrates, Edibles, Pre-Rolls and Vapes so every
category exists even in the small profile, named "<strain> - <subcategory>" and sold
each. Within a grow or category, a product is a distinct (brand, strain, grade or
subcategory), drawn without replacement.

Each brand has one line (`brand_line`): a grow of flower, or one other category, six
flower brands for every four others; its products are of its line, so a brand's name and
description fit what it sells. Names repeat across brands of one line (two brands can sell
"Blue Dream - Indoor - AA"); the catalog then adds the brand to the later ones."""

import dataclasses
from dataclasses import dataclass

from seed_data.randomness import stream_for
from terp.datasets.products import (
    FLOWER_GROW_SHARES,
    GRADES,
    NON_FLOWER_SUBCATEGORIES,
)
from terp.datasets.strains import STRAINS
from terp.plans.units import apportion
from terp.profiles import Profile

FLOWER_SHARE = 0.9  # TERP: 90 % flower, 10 % everything else
# A brand's line by its index, in turn: six flower brands (two per grow) for four others.
BRAND_LINES = (
    "Indoor",
    "Greenhouse",
    "Outdoor",
    "Indoor",
    "Greenhouse",
    "Outdoor",
    "Concentrates",
    "Edibles",
    "Pre-Rolls",
    "Vapes",
)


def brand_line(brand_index: int) -> str:
    """What the brand sells: a grow of flower, or a non-flower category."""
    return BRAND_LINES[brand_index % len(BRAND_LINES)]


@dataclass(frozen=True, slots=True)
class ProductSpec:
    brand_index: int
    strain_index: int
    name: str
    category: str
    subcategory: str  # the grow for flower
    grade: str | None  # flower only
    uom: str
    repeated: bool = False  # an earlier product of another brand has the same name

    @property
    def is_flower(self) -> bool:
        return self.category == "Flower"


def product_specs(random_seed: int, profile: Profile) -> list[ProductSpec]:
    rng = stream_for(random_seed, "plan:products")
    brands = profile.vendors * profile.brands_per_vendor
    strain_names = [name for name, _ in STRAINS[: profile.strains]]
    flower_count = round(profile.products * FLOWER_SHARE)
    specs: list[ProductSpec] = []

    def draw(line: str, count: int, variants: int) -> list[tuple[int, int, int]]:
        eligible = [brand for brand in range(brands) if brand_line(brand) == line] or list(
            range(brands)
        )
        space = len(eligible) * len(strain_names) * variants
        if count > space:
            raise ValueError(f"only {space} distinct {line} products for {count}")
        picks = []
        for pick in rng.sample(range(space), count):
            brand, rest = divmod(pick, len(strain_names) * variants)
            strain, variant = divmod(rest, variants)
            picks.append((eligible[brand], strain, variant))
        return picks

    grows = [grow for grow, _ in FLOWER_GROW_SHARES]
    per_grow = apportion(flower_count, [share for _, share in FLOWER_GROW_SHARES])
    for grow, count in zip(grows, per_grow, strict=True):
        for brand, strain, grade_index in draw(grow, count, len(GRADES)):
            grade = GRADES[grade_index]
            name = f"{strain_names[strain]} - {grow} - {grade}"
            specs.append(ProductSpec(brand, strain, name, "Flower", grow, grade, "LB"))

    others = profile.products - flower_count
    per_category = apportion(others, [1.0] * len(NON_FLOWER_SUBCATEGORIES))
    for (category, subcategories), count in zip(
        NON_FLOWER_SUBCATEGORIES, per_category, strict=True
    ):
        for brand, strain, variant in draw(category, count, len(subcategories)):
            subcategory = subcategories[variant]
            name = f"{strain_names[strain]} - {subcategory}"
            specs.append(ProductSpec(brand, strain, name, category, subcategory, None, "EA"))
    seen: set[str] = set()
    for index, spec in enumerate(specs):
        if spec.name in seen:
            specs[index] = dataclasses.replace(spec, repeated=True)
        seen.add(spec.name)
    return specs
