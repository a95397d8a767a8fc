"""What the scanner and the generation guard call real-looking, without a database."""

import json
import random
import re

import pytest

from seed_data.errors import SeedIntegrityError
from seed_data.pii import guard, shapes
from seed_data.pii.registry import Kind
from seed_data.pii.synthetic import email_local_part
from seed_data.randomness import faker_for
from terp import fakes
from terp.datasets import notes
from terp.datasets.cities import CITIES
from tests.shape_cases import FALSE_CASES, TRUE_CASES

E, P = shapes.EMAIL, shapes.PHONE


@pytest.mark.parametrize(("text", "found"), TRUE_CASES)
def test_real_looking_values_are_found(text: str, found: set[str]) -> None:
    assert shapes.findings(None, text) == found


@pytest.mark.parametrize("text", FALSE_CASES)
def test_harmless_values_are_not_reported(text: str) -> None:
    assert shapes.findings(None, text) == set()


@pytest.mark.parametrize(("text", "found"), TRUE_CASES)
def test_the_prefilter_keeps_every_real_looking_value(text: str, found: set[str]) -> None:
    """The scanner ships only values the prefilter keeps (in SQL, the same pattern)."""
    assert re.search(shapes.SQL_WORTH_A_LOOK, text)


def test_large_values_are_read_whole() -> None:
    """Behaviour on large inputs (scripts/bench-scan times them): each is read to its
    end, and the result is right."""
    assert shapes.findings(None, "a" * 40_000 + "@") == set()
    assert shapes.findings(None, "a" * 40_000 + "@gmail.com") == {E}
    assert shapes.findings(None, "@a" * 500_000) == set()
    assert shapes.findings(None, "1 " * 500_000) == set()
    assert shapes.findings(None, "1" * 1_000_000) == set()
    note = "Order ORD-000123 shipped 2024-01-15, total 1234.56, ana@example.com. " * 15_000
    assert len(note) > 1_000_000
    assert shapes.findings(None, note) == set()
    assert shapes.findings(None, note + "call 415-555-2671") == {P}
    assert shapes.findings(None, "+" + "1" * 1_000_000) == set()
    document = json.dumps(
        [{"id": n, "sku": f"SKU-{n:06d}", "tags": ["a", "b"]} for n in range(2_500)]
    )
    assert len(document) > 100_000 and shapes.findings(None, document) == set()
    tail = document[:-1] + ', {"contact": "jane\\u0040gmail.com"}]'
    assert shapes.findings(None, tail) == {E}
    deep = "[" * 100_000 + "]" * 100_000  # too deep for the JSON decoder: read as text
    assert shapes.findings(None, deep) == set()


def test_kind_checks() -> None:
    assert shapes.findings(Kind.PHONE, "4158675309") == {shapes.PHONE}  # no separators
    assert shapes.findings(Kind.PHONE, "555-0142") == set()
    assert shapes.findings(Kind.PHONE, "n/a") == set()
    assert shapes.findings(Kind.EXTERNAL_ID, "google-oauth2|1081234") == {shapes.EXTERNAL_ID}
    assert shapes.findings(Kind.EXTERNAL_ID, "seed-1b4e28ba-2fa1-41d2-883f-0016d3cca427") == set()
    assert shapes.findings(Kind.EXTERNAL_ID, " ") == set()


def test_random_uuids_do_not_look_like_numbers() -> None:
    rng = random.Random(5)
    for _ in range(50_000):
        assert not shapes.findings(Kind.EXTERNAL_ID, "seed-" + fakes.random_uuid(rng))


def test_everything_generation_draws_from_is_clean() -> None:
    rng = random.Random(1)
    fake = faker_for(rng)
    for _ in range(2_000):
        first, last = fake.first_name(), fake.last_name()
        assert not shapes.findings(Kind.PERSON_NAME, f"{first} {last}")
        email = fakes.reserved_email(rng, email_local_part(first, last), rng.randrange(10**6))
        assert not shapes.findings(Kind.EMAIL, email)
        city = rng.choice(CITIES)
        assert not shapes.findings(Kind.PHONE, fakes.fictional_phone(rng))
        assert not shapes.findings(Kind.PHONE, fakes.fictional_phone(rng, city.area_code))
        assert not shapes.findings(Kind.STREET_ADDRESS, fakes.street_address(rng, city))
    lists = [getattr(notes, name) for name in dir(notes) if name.isupper() and name[0] != "_"]
    texts = [text for texts in lists if isinstance(texts, tuple) for text in texts]
    assert texts and not any(shapes.findings(Kind.FREE_TEXT, text) for text in texts)


def test_guard_refuses_a_real_looking_value_without_showing_it() -> None:
    rows = [(1, "Ana Ruiz", "ana@example.com"), (2, "Bob Li", "bob.li@realmail.com")]
    checked = guard.checked_rows("seed_0099", "users", ["id", "name", "email"], rows)
    assert next(checked) == rows[0]
    with pytest.raises(
        SeedIntegrityError, match=r"users\.email looks like real PII \(e-mail\)"
    ) as error:
        next(checked)
    assert "realmail" not in str(error.value)
    unregistered = [(1, "bob@realmail.com")]
    assert (
        list(guard.checked_rows("seed_0099", "brands", ["id", "name"], unregistered))
        == unregistered
    )
    with_null = [(1, None, None)]
    assert list(guard.checked_rows("r", "users", ["id", "name", "email"], with_null)) == with_null
