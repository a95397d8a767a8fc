"""The catalog: brands (each owned by a seeded vendor), strains, and products.

Products follow TERP's generator: about 90 % flower, named "<strain> - <grow> - <grade>"
and sold by the pound; the rest "<strain> - <subcategory>", sold each. A product is one
distinct (brand, strain, grow or subcategory, grade) combination, drawn without
replacement."""

import re
from collections.abc import Iterator
from itertools import product as cartesian

import sqlalchemy as sa
from psycopg.types.json import Jsonb
from sqlalchemy.dialects import postgresql

from seed_data.datasets.businesses import BRAND_SUFFIXES, BRAND_WORDS
from seed_data.datasets.products import (
    FLOWER_GROWS,
    GRADES,
    NON_FLOWER_SUBCATEGORIES,
)
from seed_data.datasets.strains import STRAIN_ALIASES, STRAINS
from seed_data.generators.calendar import onboarding_moment
from seed_data.generators.naming import unique_names
from seed_data.ids import IdBlock
from seed_data.seeding import Row, SeedContext

BRANDS = sa.table(
    "brands",
    sa.column("id", sa.BigInteger),
    sa.column("name", sa.String),
    sa.column("description", sa.String),
    sa.column("vendor_id", sa.BigInteger),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
STRAINS_TABLE = sa.table(
    "strains",
    sa.column("id", sa.BigInteger),
    sa.column("name", sa.String),
    sa.column("standardized_name", sa.String),
    sa.column("aliases", postgresql.JSONB),
    sa.column("category", sa.String),
    sa.column("base_strain_name", sa.String),
    sa.column("parent_strain_id", sa.BigInteger),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
PRODUCTS = sa.table(
    "products",
    sa.column("id", sa.BigInteger),
    sa.column("brand_id", sa.BigInteger),
    sa.column("strain_id", sa.BigInteger),
    sa.column("name_canonical", sa.String),
    sa.column("category", sa.String),
    sa.column("subcategory", sa.String),
    sa.column("uom_sellable", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
TABLES = (BRANDS, STRAINS_TABLE, PRODUCTS)
FLOWER_SHARE = 0.9  # TERP: 90 % flower, 10 % everything else
PHENOTYPE_SHARE = 0.15  # strains recorded as a phenotype of an earlier strain
BRAND_DESCRIPTIONS = (
    "House line of the cultivator",
    "Small-batch craft label",
    "Value line for high-volume accounts",
    "Premium indoor label",
    "Sun-grown label",
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")

# Each non-flower variant: (category, subcategory).
NON_FLOWER_VARIANTS = tuple(
    (category, subcategory)
    for category, subcategories in NON_FLOWER_SUBCATEGORIES
    for subcategory in subcategories
)
FLOWER_VARIANTS = tuple(cartesian(FLOWER_GROWS, GRADES))


def standardized(name: str) -> str:
    return _NOT_ALNUM.sub(" ", name.lower()).strip()


def generate(context: SeedContext) -> None:
    rng, profile = context.rng, context.profile
    vendor_ids = context.seeded_ids("vendors")

    brand_count = len(vendor_ids) * profile.brands_per_vendor
    brand_names = unique_names(rng, brand_count, BRAND_WORDS, BRAND_SUFFIXES)

    def brand_rows(ids: IdBlock) -> Iterator[Row]:
        for index, (brand_id, name) in enumerate(zip(ids, brand_names, strict=True)):
            created = onboarding_moment(rng, profile.months)
            vendor_id = vendor_ids[index // profile.brands_per_vendor]
            yield (brand_id, name, rng.choice(BRAND_DESCRIPTIONS), vendor_id, created, created)

    brand_ids = context.insert(BRANDS, brand_count, brand_rows)

    strains = STRAINS[: profile.strains]
    aliases: dict[str, list[str]] = {}
    for strain, alias in STRAIN_ALIASES:
        aliases.setdefault(strain, []).append(alias)

    def strain_rows(ids: IdBlock) -> Iterator[Row]:
        for index, (strain_id, (name, category)) in enumerate(zip(ids, strains, strict=True)):
            parent = rng.randrange(index) if index and rng.random() < PHENOTYPE_SHARE else None
            created = onboarding_moment(rng, profile.months)
            yield (
                strain_id,
                name,
                standardized(name),
                Jsonb(aliases.get(name, [])),
                category,
                strains[parent][0] if parent is not None else None,
                ids[parent] if parent is not None else None,
                created,
                created,
            )

    strain_ids = context.insert(STRAINS_TABLE, len(strains), strain_rows)

    flower_count = round(profile.products * FLOWER_SHARE)
    flower_space = len(brand_ids) * len(strain_ids) * len(FLOWER_VARIANTS)
    other_space = len(brand_ids) * len(strain_ids) * len(NON_FLOWER_VARIANTS)
    flower_picks = rng.sample(range(flower_space), flower_count)
    other_picks = rng.sample(range(other_space), profile.products - flower_count)

    def product_rows(ids: IdBlock) -> Iterator[Row]:
        for product_id, (is_flower, pick) in zip(
            ids,
            [(True, pick) for pick in flower_picks] + [(False, pick) for pick in other_picks],
            strict=True,
        ):
            variants = FLOWER_VARIANTS if is_flower else NON_FLOWER_VARIANTS
            brand_index, rest = divmod(pick, len(strain_ids) * len(variants))
            strain_index, variant_index = divmod(rest, len(variants))
            strain_name = strains[strain_index][0]
            created = onboarding_moment(rng, profile.months)
            if is_flower:
                grow, grade = FLOWER_VARIANTS[variant_index]
                name, category, subcategory, uom = (
                    f"{strain_name} - {grow} - {grade}",
                    "Flower",
                    grow,
                    "LB",
                )
            else:
                category, subcategory = NON_FLOWER_VARIANTS[variant_index]
                name, uom = f"{strain_name} - {subcategory}", "EA"
            yield (
                product_id,
                brand_ids[brand_index],
                strain_ids[strain_index],
                name,
                category,
                subcategory,
                uom,
                created,
                created,
            )

    context.insert(PRODUCTS, profile.products, product_rows)
