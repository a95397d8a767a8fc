"""TERP staff accounts: a few admins, the rest sales and warehouse users."""

from collections.abc import Iterator

import sqlalchemy as sa

from seed_data.ids import IdBlock
from seed_data.pii.synthetic import email_local_part
from seed_data.seeding import Row, SeedContext, row_builder
from seed_data.uniques import dashed, email_variant
from terp.fakes import random_uuid, reserved_email
from terp.plans.calendar import ANCHOR, moment_between, onboarding_moment
from terp.profiles import profile_of

USERS = sa.table(
    "users",
    sa.column("id", sa.BigInteger),
    sa.column("open_id", sa.String),
    sa.column("name", sa.String),
    sa.column("email", sa.String),
    sa.column("login_method", sa.String),
    sa.column("role", sa.String),
    sa.column("last_signed_in", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
TABLES = (USERS,)
# Rows each profile gives, measured with random seed 42 (terp/catalogue.py shows them;
# tests/test_profiles.py seeds the profiles and compares).
ROWS: dict[str, dict[str, int]] = {
    "users": {"small": 8, "medium": 20, "large": 100, "xl": 400},
}
USERS_ROW = row_builder(USERS)
ADMINS = 2
LOGIN_METHODS = ("email", "google")


def generate(context: SeedContext) -> None:
    rng, fake, profile = context.rng, context.faker, profile_of(context)

    emails = context.taken("users", "email")
    open_ids = context.taken("users", "open_id", "seed-%")

    def rows(ids: IdBlock) -> Iterator[Row]:
        for serial, user_id in enumerate(ids, start=1):
            first, last = fake.first_name(), fake.last_name()
            created = onboarding_moment(rng, profile.months)
            last_signed_in = moment_between(rng, created, ANCHOR)
            yield USERS_ROW(
                id=user_id,
                open_id=open_ids.free(f"seed-{random_uuid(rng)}", dashed),
                name=f"{first} {last}",
                email=emails.free(
                    reserved_email(rng, email_local_part(first, last), serial), email_variant
                ),
                login_method=rng.choice(LOGIN_METHODS),
                role="admin" if serial <= ADMINS else "user",
                last_signed_in=last_signed_in,
                created_at=created,
                updated_at=last_signed_in,
            )

    context.insert(USERS, profile.users, rows)
