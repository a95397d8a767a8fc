"""Vendors: California cultivators who hand lots over on consignment or COD."""

from collections.abc import Iterator

import sqlalchemy as sa

from seed_data.ids import IdBlock
from seed_data.pii.synthetic import email_local_part
from seed_data.seeding import Row, SeedContext, row_builder
from seed_data.uniques import email_variant, numbered
from terp.datasets.businesses import FARM_PREFIXES, FARM_SUFFIXES
from terp.datasets.notes import VENDOR_NOTES
from terp.fakes import fictional_phone, reserved_email
from terp.generators.naming import unique_names
from terp.plans.calendar import onboarding_moment
from terp.profiles import profile_of

VENDORS = sa.table(
    "vendors",
    sa.column("id", sa.BigInteger),
    sa.column("name", sa.String),
    sa.column("contact_name", sa.String),
    sa.column("contact_email", sa.String),
    sa.column("contact_phone", sa.String),
    sa.column("payment_terms", sa.String),
    sa.column("notes", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
TABLES = (VENDORS,)
# Rows each profile gives, measured with random seed 42 (terp/catalogue.py shows them;
# tests/test_profiles.py seeds the profiles and compares).
ROWS: dict[str, dict[str, int]] = {
    "vendors": {"small": 5, "medium": 8, "large": 40, "xl": 120},
}
VENDORS_ROW = row_builder(VENDORS)
# TERP: 90 % of intake is on consignment, the rest COD; a few vendors invoice on terms.
PAYMENT_TERMS = ("Consignment", "COD", "Net 15", "Net 30")
PAYMENT_TERM_WEIGHTS = (0.80, 0.10, 0.05, 0.05)


def generate(context: SeedContext) -> None:
    rng, fake, profile = context.rng, context.faker, profile_of(context)
    names = unique_names(rng, profile.vendors, FARM_PREFIXES, FARM_SUFFIXES)
    taken_names, emails = (
        context.taken("vendors", "name"),
        context.taken("vendors", "contact_email"),
    )

    def rows(ids: IdBlock) -> Iterator[Row]:
        for serial, (vendor_id, name) in enumerate(zip(ids, names, strict=True), start=1):
            first, last = fake.first_name(), fake.last_name()
            created = onboarding_moment(rng, profile.months)
            yield VENDORS_ROW(
                id=vendor_id,
                name=taken_names.free(name, numbered),
                contact_name=f"{first} {last}",
                contact_email=emails.free(
                    reserved_email(rng, email_local_part(first, last), serial), email_variant
                ),
                contact_phone=fictional_phone(rng),
                payment_terms=rng.choices(PAYMENT_TERMS, PAYMENT_TERM_WEIGHTS)[0],
                notes=rng.choice(VENDOR_NOTES) if rng.random() < 0.5 else None,
                created_at=created,
                updated_at=created,
            )

    context.insert(VENDORS, profile.vendors, rows)
