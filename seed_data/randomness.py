"""One seeded random stream per revision owns all randomness, Faker's included.

The stream is derived from the run's random seed and the revision id, so a revision's data
does not change when another revision is added or edited, and the same seed, profile and
pinned versions give identical rows."""

import hashlib
import random

from faker import Faker

FAKER_LOCALE = "en_US"


def stream_for(random_seed: int, revision: str) -> random.Random:
    digest = hashlib.sha256(f"{random_seed}:{revision}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def faker_for(stream: random.Random) -> Faker:
    """A Faker that draws from `stream` itself, never from the global random state."""
    fake = Faker(FAKER_LOCALE)
    fake.random = stream  # type: ignore[attr-defined]  # a property Faker's stubs omit
    return fake
