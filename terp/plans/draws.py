"""Integer draws from one `random()` call: several times faster than randint/randrange,
which are pure Python, and the replays draw millions of times at xl. (The float's 53
bits make the bias immaterial for the spans used here.)"""

import random


def between(rng: random.Random, low: int, high: int) -> int:
    """An integer in [low, high]."""
    return low + int(rng.random() * (high - low + 1))
