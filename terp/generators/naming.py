"""Names that are unique by construction: distinct indices into the product of word
lists, drawn without replacement by the revision's random stream (no retry loops)."""

import random
from collections.abc import Sequence


def unique_names(rng: random.Random, count: int, *word_lists: Sequence[str]) -> list[str]:
    """`count` distinct names "<w1> <w2> [<w3> ...]", using only as many word lists as the
    count needs (two for small profiles, a third for large ones)."""
    used, space = 0, 1
    for words in word_lists:
        used, space = used + 1, space * len(words)
        if used >= 2 and space >= count:
            break
    if count > space:
        raise ValueError(f"only {space} distinct names for {count} rows")
    lists = word_lists[:used]
    names = []
    for index in rng.sample(range(space), count):
        parts = []
        for words in reversed(lists):
            index, position = divmod(index, len(words))
            parts.append(words[position])
        names.append(" ".join(reversed(parts)))
    return names
