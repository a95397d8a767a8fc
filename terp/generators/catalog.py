"""The catalog: brands (each owned by a seeded vendor), strains, and products.

Which products exist is a plan (terp.plans.products: TERP's 90 % flower, every
other category present), because later revisions replay it to know each product's
category and unit; this revision writes them."""

import re
from collections.abc import Iterator

import sqlalchemy as sa
from psycopg.types.json import Jsonb
from sqlalchemy.dialects import postgresql

from seed_data.ids import IdBlock
from seed_data.seeding import Row, SeedContext, row_builder
from seed_data.uniques import numbered
from terp.datasets.businesses import BRAND_SUFFIXES_BY_LINE, BRAND_WORDS
from terp.datasets.strains import STRAIN_ALIASES, STRAINS
from terp.generators.naming import unique_names
from terp.plans.calendar import onboarding_moment
from terp.plans.products import brand_line, product_specs
from terp.profiles import profile_of

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
# Rows each profile gives, measured with random seed 42 (terp/catalogue.py shows them;
# tests/test_profiles.py seeds the profiles and compares).
ROWS: dict[str, dict[str, int]] = {
    "brands": {"small": 10, "medium": 24, "large": 120, "xl": 480},
    "strains": {"small": 20, "medium": 50, "large": 120, "xl": 120},
    "products": {"small": 40, "medium": 200, "large": 2_000, "xl": 10_000},
}
BRANDS_ROW = row_builder(BRANDS)
STRAINS_ROW = row_builder(STRAINS_TABLE)
PRODUCTS_ROW = row_builder(PRODUCTS)
# Hand-written: what a brand of each line says about itself.
BRAND_DESCRIPTIONS = {
    "Indoor": ("Premium indoor label", "Small-batch craft label", "House line of the cultivator"),
    "Greenhouse": ("Light-assisted greenhouse line", "House line of the cultivator"),
    "Outdoor": ("Sun-grown label", "Value line for high-volume accounts"),
    "Concentrates": ("Solventless extracts", "Live resin and rosin line"),
    "Edibles": ("Dosed gummies and chocolates", "Small-batch kitchen"),
    "Pre-Rolls": ("Pre-rolls from house flower", "Singles and multi-packs"),
    "Vapes": ("Cartridges and disposables", "Live resin vapes"),
}
SUFFIXES_BY_LINE = dict(BRAND_SUFFIXES_BY_LINE)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def standardized(name: str) -> str:
    return _NOT_ALNUM.sub(" ", name.lower()).strip()


def generate(context: SeedContext) -> None:
    rng, profile = context.rng, profile_of(context)
    vendor_ids = context.seeded_ids("vendors")

    brand_count = len(vendor_ids) * profile.brands_per_vendor
    lines = [brand_line(index) for index in range(brand_count)]
    # names drawn per line, from that line's suffixes, so each fits what the brand sells
    drawn = {
        line: iter(unique_names(rng, lines.count(line), BRAND_WORDS, SUFFIXES_BY_LINE[line]))
        for line in dict.fromkeys(lines)
    }
    brand_names = [next(drawn[line]) for line in lines]

    def brand_rows(ids: IdBlock) -> Iterator[Row]:
        for index, (brand_id, name) in enumerate(zip(ids, brand_names, strict=True)):
            created = onboarding_moment(rng, profile.months)
            vendor_id = vendor_ids[index // profile.brands_per_vendor]
            description = rng.choice(BRAND_DESCRIPTIONS[lines[index]])
            yield BRANDS_ROW(
                id=brand_id,
                name=name,
                description=description,
                vendor_id=vendor_id,
                created_at=created,
                updated_at=created,
            )

    brand_ids = context.insert(BRANDS, brand_count, brand_rows)

    strains = STRAINS[: profile.strains]
    aliases: dict[str, list[str]] = {}
    for strain, alias in STRAIN_ALIASES:
        aliases.setdefault(strain, []).append(alias)

    taken_strains = context.taken("strains", "name")

    def strain_rows(ids: IdBlock) -> Iterator[Row]:
        for strain_id, (listed, category) in zip(ids, strains, strict=True):
            name = taken_strains.free(listed, numbered)
            created = onboarding_moment(rng, profile.months)
            yield STRAINS_ROW(
                id=strain_id,
                name=name,
                standardized_name=standardized(name),
                aliases=Jsonb(aliases.get(listed, [])),
                category=category,
                base_strain_name=None,
                parent_strain_id=None,
                created_at=created,
                updated_at=created,
            )

    strain_ids = context.insert(STRAINS_TABLE, len(strains), strain_rows)

    specs = product_specs(context.settings.random_seed, profile)

    def product_rows(ids: IdBlock) -> Iterator[Row]:
        for product_id, spec in zip(ids, specs, strict=True):
            created = onboarding_moment(rng, profile.months)
            yield PRODUCTS_ROW(
                id=product_id,
                brand_id=brand_ids[spec.brand_index],
                strain_id=strain_ids[spec.strain_index],
                name_canonical=f"{spec.name} ({brand_names[spec.brand_index]})"
                if spec.repeated
                else spec.name,
                category=spec.category,
                subcategory=spec.subcategory,
                uom_sellable=spec.uom,
                created_at=created,
                updated_at=created,
            )

    context.insert(PRODUCTS, len(specs), product_rows)
