"""Unique names by construction."""

import random

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from seed_data.uniques import TakenCodes, TakenValues, dashed, email_variant, numbered
from terp.generators.naming import unique_names


def test_unique_names_use_a_third_list_only_when_needed() -> None:
    two = unique_names(random.Random(1), 4, ["a", "b"], ["x", "y"], ["1", "2"])
    assert sorted(two) == ["a x", "a y", "b x", "b y"]
    three = unique_names(random.Random(1), 8, ["a", "b"], ["x", "y"], ["1", "2"])
    assert len(set(three)) == 8 and all(len(name.split()) == 3 for name in three)
    with pytest.raises(ValueError, match="only 8 distinct names for 9 rows"):
        unique_names(random.Random(1), 9, ["a", "b"], ["x", "y"], ["1", "2"])


def test_codes_skip_the_numbers_rows_already_hold() -> None:
    nothing = TakenCodes([])
    assert [nothing.nth_free(n) for n in (1, 2, 12)] == [1, 2, 12]  # an empty database
    taken = TakenCodes([1, 2, 3, 7, 9, 10, 11])
    free = [taken.nth_free(n) for n in range(1, 8)]
    assert free == [4, 5, 6, 8, 12, 13, 14]
    assert TakenCodes([5]).nth_free(4) == 4 and TakenCodes([5]).nth_free(5) == 6


def test_values_get_a_variant_when_taken() -> None:
    names = TakenValues({"Emerald Farms", "Emerald Farms 2"})
    assert names.free("Emerald Farms", numbered) == "Emerald Farms 3"
    assert names.free("Sunset Growers", numbered) == "Sunset Growers"
    emails = TakenValues({"ana.ruiz.1@example.com"})
    assert emails.free("ana.ruiz.1@example.com", email_variant) == "ana.ruiz.1-2@example.com"
    skus = TakenValues({"SKU-00001-00001"})
    assert skus.free("SKU-00001-00001", dashed) == "SKU-00001-00001-2"
    assert TakenValues(set()).free("anything", numbered) == "anything"


@given(st.sets(st.integers(min_value=0, max_value=60)), st.integers(min_value=1, max_value=40))
def test_the_nth_free_number_is_the_nth_number_no_row_holds(taken: set[int], n: int) -> None:
    free = [number for number in range(1, 200) if number not in taken]
    assert TakenCodes(taken).nth_free(n) == free[n - 1]


def test_taken_codes_are_read_as_runs_by_the_server(engine: sa.Engine) -> None:
    codes = ["ORD-000001", "ORD-000002", "ORD-3", "ORD-000007", "ORD-000000", "ORD-0000009"]
    codes += ["ORD-12x", "XORD-000004", "ord-000005", "ORD-", "ORD-000002-2"]  # not the shape
    with engine.begin() as connection:
        connection.execute(sa.text("create table coded (id bigint primary key, code text)"))
        connection.execute(
            sa.text(
                "insert into coded select n, (cast(:codes as text[]))[n] "
                "from generate_series(1, :count) n"
            ),
            {"codes": codes, "count": len(codes)},
        )
        taken = TakenCodes.load(connection, "coded", "code", "ORD-")
    assert [taken.nth_free(n) for n in range(1, 6)] == [4, 5, 6, 8, 10]
    assert [taken.nth_free(n) for n in range(1, 6)] == [
        TakenCodes([0, 1, 2, 3, 7, 9]).nth_free(n) for n in range(1, 6)
    ]
