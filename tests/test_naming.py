"""Unique names by construction."""

import random

import pytest

from seed_data.generators.naming import code, unique_names


def test_unique_names_use_a_third_list_only_when_needed() -> None:
    two = unique_names(random.Random(1), 4, ["a", "b"], ["x", "y"], ["1", "2"])
    assert sorted(two) == ["a x", "a y", "b x", "b y"]
    three = unique_names(random.Random(1), 8, ["a", "b"], ["x", "y"], ["1", "2"])
    assert len(set(three)) == 8 and all(len(name.split()) == 3 for name in three)
    with pytest.raises(ValueError, match="only 8 distinct names for 9 rows"):
        unique_names(random.Random(1), 9, ["a", "b"], ["x", "y"], ["1", "2"])


def test_codes_follow_terp_formats() -> None:
    assert code("LOT-", 1, 5) == "LOT-00001"
    assert code("BATCH-", 12, 6) == "BATCH-000012"
    assert code("WHL", 3, 4) == "WHL0003"
