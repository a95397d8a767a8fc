"""PII-safe values by construction: e-mail addresses only on the domains RFC 2606 reserves
(example.com/.net/.org), phone numbers only in the 555-0100..555-0199 range that the North
American Numbering Plan keeps for fiction, people's names from Faker's name lists, and
business names and addresses from the project's own word lists. Unique columns get a
counter, never a retry loop.

The kinds of PII are declared in `seed_data.pii.registry`; `GENERATED` says how each kind
is generated here (docs/pii-inventory.md prints it), and `seed_data.pii.guard` checks
every registered column a seed revision writes against the scanner's rules."""

import random
import uuid

from seed_data.pii.registry import Kind
from seed_data.pii.synthetic import (
    FICTIONAL_EXCHANGE,
    RESERVED_EMAIL_DOMAINS,
)
from terp.datasets.cities import City
from terp.datasets.streets import STREET_NAMES, STREET_SUFFIXES

# Real California area codes: the exchange 555 with lines 0100-0199 is fictional in all.
CALIFORNIA_AREA_CODES = ("209", "213", "415", "510", "530", "559", "619", "707", "805", "916")

GENERATED: dict[Kind, str] = {
    Kind.PERSON_NAME: "Faker en_US first name + last name",
    Kind.COMPANY_NAME: (
        "word-list combination from terp/datasets/businesses.py "
        '("<word> <suffix> [of <city>]"), unique by construction'
    ),
    Kind.EMAIL: "<name>.<serial>@example.com/.net/.org (RFC 2606); the serial keeps it unique",
    Kind.PHONE: "(<California area code>) 555-01xx (NANP fictional range)",
    Kind.STREET_ADDRESS: (
        "<number> <street> <suffix>, <California city>, CA <ZIP> from terp/datasets"
    ),
    Kind.FREE_TEXT: "fixed texts from terp/datasets/notes.py (no names, numbers, addresses)",
    Kind.EXTERNAL_ID: "seed-<UUID4 drawn from the revision's random stream>",
}


def reserved_email(rng: random.Random, local_part: str, serial: int | None = None) -> str:
    """An address on a reserved domain; `serial` makes it unique where the column is."""
    suffix = f".{serial}" if serial is not None else ""
    return f"{local_part}{suffix}@{rng.choice(RESERVED_EMAIL_DOMAINS)}"


def fictional_phone(rng: random.Random, area_code: str | None = None) -> str:
    """A 555-01xx number; in the area code given (a city's), else a California one."""
    area = area_code or rng.choice(CALIFORNIA_AREA_CODES)
    return f"({area}) {FICTIONAL_EXCHANGE}-01{rng.randrange(100):02d}"


def street_address(rng: random.Random, city: City) -> str:
    """A made-up street in a real California city, with that city's ZIP code."""
    return (
        f"{rng.randrange(100, 10000)} {rng.choice(STREET_NAMES)} {rng.choice(STREET_SUFFIXES)}, "
        f"{city.name}, CA {city.zip_code}"
    )


def random_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
