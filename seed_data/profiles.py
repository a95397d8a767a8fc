"""Data volumes. `medium` is TERP's own "full" scenario (60 clients, 8 vendors, 50 strains,
4,400 orders over 22 months); the others scale it to about 1k, 250k and 2M rows in all."""

from dataclasses import dataclass

from seed_data.errors import ConfigurationError


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
            orders=120,
            months=12,
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
            orders=45_000,
            months=22,
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
            orders=360_000,
            months=22,
        ),
    )
}

DEFAULT_PROFILE = "small"


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        choices = ", ".join(PROFILES)
        raise ConfigurationError(
            f"unknown seed profile {name!r}: use one of {choices} (SEED_PROFILE or -x profile=...)"
        ) from None
