"""Names that are unique by construction: distinct indices into the product of two word
lists, drawn without replacement by the revision's random stream (no retry loops)."""

import random
from collections.abc import Sequence


def unique_pairs(
    rng: random.Random, first: Sequence[str], second: Sequence[str], count: int
) -> list[str]:
    """`count` distinct "<first> <second>" names."""
    space = len(first) * len(second)
    if count > space:
        raise ValueError(f"only {space} distinct names for {count} rows")
    return [
        f"{first[index // len(second)]} {second[index % len(second)]}"
        for index in rng.sample(range(space), count)
    ]


def code(prefix: str, number: int, width: int) -> str:
    """TERP's codes: code("LOT-", 1, 5) -> "LOT-00001"; code("WHL", 1, 4) -> "WHL0001"."""
    return f"{prefix}{number:0{width}d}"
