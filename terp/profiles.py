"""Data volumes. `medium` is TERP's own "full" scenario (60 clients, 10 whales, 8 vendors,
50 strains, 4,400 orders over 22 months, 8 lots a month); the others scale it to about 1k,
250k and 2M rows in all. docs/data-model.md lists the rows each profile gives."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from seed_data.errors import SeedError

if TYPE_CHECKING:  # the engine's context, only for the type
    from seed_data.seeding import SeedContext


@dataclass(frozen=True)
class Profile:
    name: str
    users: int
    vendors: int
    brands_per_vendor: int
    strains: int
    products: int
    clients: int
    whale_clients: int
    orders: int
    months: int
    # Supply: lots received a month (vendors in turn), lots on hand when the history
    # starts, and the mean number of batches a lot is split into (1 to 2 x mean - 1).
    # TERP receives 8 lots a month of 1 batch; it does not track stock, this project
    # never oversells, so supply is sized to outrun demand.
    lots_per_month: int
    opening_lots: int
    batches_per_lot: int


PROFILES: dict[str, Profile] = {
    profile.name: profile
    for profile in (
        Profile(
            "small",
            users=8,
            vendors=5,
            brands_per_vendor=2,
            strains=20,
            products=40,
            clients=25,
            whale_clients=4,
            orders=80,
            months=12,
            lots_per_month=1,
            opening_lots=2,
            batches_per_lot=2,
        ),
        Profile(
            "medium",
            users=20,
            vendors=8,
            brands_per_vendor=3,
            strains=50,
            products=200,
            clients=60,
            whale_clients=10,
            orders=4_400,
            months=22,
            lots_per_month=8,
            opening_lots=8,
            batches_per_lot=2,
        ),
        Profile(
            "large",
            users=100,
            vendors=40,
            brands_per_vendor=3,
            strains=120,
            products=2_000,
            clients=1_500,
            whale_clients=40,
            orders=26_000,
            months=22,
            lots_per_month=40,
            opening_lots=40,
            batches_per_lot=3,
        ),
        Profile(
            "xl",
            users=400,
            vendors=120,
            brands_per_vendor=4,
            strains=120,
            products=10_000,
            clients=12_000,
            whale_clients=200,
            orders=200_000,
            months=22,
            lots_per_month=300,
            opening_lots=300,
            batches_per_lot=3,
        ),
    )
}

DEFAULT_PROFILE = "small"


def profile_of(context: "SeedContext") -> Profile:
    """The run's profile with every volume TERP's generators read (the engine knows only
    its name)."""
    profile = context.profile
    if not isinstance(profile, Profile):
        raise SeedError(f"{context.revision}: profile {profile.name} is not one of TERP's")
    return profile
