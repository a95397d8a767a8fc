"""Clients: dispensaries and retailers. The first `whale_clients` are TERP's "whales"
(teri code WHL0001...), who later bring about 70 % of revenue; the rest are regulars
(REG0001...). Tags follow TERP's generator."""

from collections.abc import Iterator

import sqlalchemy as sa
from psycopg.types.json import Jsonb
from sqlalchemy.dialects import postgresql

from seed_data.ids import IdBlock
from seed_data.pii.synthetic import email_local_part
from seed_data.seeding import Row, SeedContext, row_builder
from seed_data.uniques import email_variant
from terp.datasets.businesses import (
    DISPENSARY_SUFFIXES,
    DISPENSARY_WORDS,
)
from terp.datasets.cities import CITIES
from terp.fakes import fictional_phone, reserved_email, street_address
from terp.generators.naming import unique_names
from terp.plans.calendar import onboarding_moment
from terp.profiles import profile_of

CLIENTS = sa.table(
    "clients",
    sa.column("id", sa.BigInteger),
    sa.column("teri_code", sa.String),
    sa.column("name", sa.String),
    sa.column("email", sa.String),
    sa.column("phone", sa.String),
    sa.column("address", sa.String),
    sa.column("is_buyer", sa.Boolean),
    sa.column("is_seller", sa.Boolean),
    sa.column("is_brand", sa.Boolean),
    sa.column("tags", postgresql.JSONB),
    sa.column("total_spent", sa.Numeric),
    sa.column("total_owed", sa.Numeric),
    sa.column("vip_portal_enabled", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
TABLES = (CLIENTS,)
# Rows each profile gives, measured with random seed 42 (terp/catalogue.py shows them;
# tests/test_profiles.py seeds the profiles and compares).
ROWS: dict[str, dict[str, int]] = {
    "clients": {"small": 25, "medium": 60, "large": 1_500, "xl": 12_000},
}
CLIENTS_ROW = row_builder(CLIENTS)
WHALE_TAGS = ("wholesale", "high-volume", "cannabis")
REGULAR_TAGS = ("retail", "cannabis")
# Large profiles outgrow two-word names: "Apex Wellness of Fresno".
BRANCH_CITIES = tuple(f"of {city.name}" for city in CITIES)
CITY_BY_NAME = {city.name: city for city in CITIES}


def generate(context: SeedContext) -> None:
    rng, profile = context.rng, profile_of(context)
    names = unique_names(rng, profile.clients, DISPENSARY_WORDS, DISPENSARY_SUFFIXES, BRANCH_CITIES)

    teri_codes = {
        prefix: context.codes("clients", "teri_code", prefix, 4) for prefix in ("WHL", "REG")
    }
    emails = context.taken("clients", "email")

    def rows(ids: IdBlock) -> Iterator[Row]:
        for index, (client_id, name) in enumerate(zip(ids, names, strict=True)):
            whale = index < profile.whale_clients
            number = index + 1 if whale else index + 1 - profile.whale_clients
            created = onboarding_moment(rng, profile.months)
            # the address and the phone's area code agree, and with "X of <city>" too
            city = CITY_BY_NAME.get(name.rpartition(" of ")[2]) or rng.choice(CITIES)
            yield CLIENTS_ROW(
                id=client_id,
                teri_code=teri_codes["WHL" if whale else "REG"](number),
                name=name,
                email=emails.free(
                    reserved_email(rng, email_local_part(*name.split()[:2]), index + 1),
                    email_variant,
                ),
                phone=fictional_phone(rng, city.area_code),
                address=street_address(rng, city),
                is_buyer=True,
                is_seller=rng.random() < 0.05,
                is_brand=whale and rng.random() < 0.10,
                tags=Jsonb(list(WHALE_TAGS if whale else REGULAR_TAGS)),
                total_spent=0,
                total_owed=0,
                vip_portal_enabled=whale and rng.random() < 0.5,
                created_at=created,
                updated_at=created,
            )

    context.insert(CLIENTS, profile.clients, rows)
