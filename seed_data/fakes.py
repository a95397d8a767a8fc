"""PII-safe values by construction: e-mail addresses only on the domains RFC 2606 reserves
(example.com/.net/.org), phone numbers only in the 555-0100..555-0199 range that the North
American Numbering Plan keeps for fiction, and people's names from Faker's name lists.
Unique columns get a counter, never a retry loop."""

import random
import re
import uuid

RESERVED_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
# Real California area codes: the exchange 555 with lines 0100-0199 is fictional in all.
CALIFORNIA_AREA_CODES = ("209", "213", "415", "510", "530", "559", "619", "707", "805", "916")

_NOT_LOCAL_PART = re.compile(r"[^a-z0-9]+")


def email_local_part(*words: str) -> str:
    """Lower-case dotted local part from words: ("Ana", "Ruiz") -> "ana.ruiz"."""
    parts = [_NOT_LOCAL_PART.sub("", word.lower()) for word in words]
    return ".".join(part for part in parts if part) or "contact"


def reserved_email(rng: random.Random, local_part: str, serial: int | None = None) -> str:
    """An address on a reserved domain; `serial` makes it unique where the column is."""
    suffix = f".{serial}" if serial is not None else ""
    return f"{local_part}{suffix}@{rng.choice(RESERVED_EMAIL_DOMAINS)}"


def fictional_phone(rng: random.Random) -> str:
    return f"({rng.choice(CALIFORNIA_AREA_CODES)}) 555-01{rng.randrange(100):02d}"


def random_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
