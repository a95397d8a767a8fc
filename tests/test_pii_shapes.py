"""What the scanner and the generation guard call real-looking, without a database."""

import random

import pytest

from seed_data import fakes
from seed_data.datasets import notes
from seed_data.errors import SeedIntegrityError
from seed_data.pii import guard, shapes
from seed_data.pii.registry import Kind
from seed_data.randomness import faker_for


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ana.ruiz@gmail.com", {shapes.EMAIL}),
        ("write to Bob <bob@acme.io> today", {shapes.EMAIL}),
        ("ana@example.com", set()),
        ("ana@mail.example.org", set()),
        ("ana@shop.test", set()),
        ("ana@host.example", set()),
        ("root@localhost", set()),
        ("415-555-1234", {shapes.PHONE}),
        ("call (415) 867-5309 now", {shapes.PHONE}),
        ("+1 415.867.5309", {shapes.PHONE}),
        ("+44 20 7946 0958", {shapes.PHONE}),
        ("(415) 555-0123", set()),
        ("+1 415 555 0199 ext 7", set()),
        ("card 4111 1111 1111 1111", {shapes.CARD}),
        ("4111111111111112", set()),  # Luhn fails
        ("123-45-6789", {shapes.SSN}),
        ("000-12-3456", set()),
        ("from 8.8.8.8", {shapes.IP_ADDRESS}),
        ("192.0.2.10 and 10.1.2.3 and 127.0.0.1", set()),
        ("ORD-000001, LOT-00001, BATCH-000001, SKU-12-34", set()),
        ("2024-01-15 total 1234.56", set()),
        ("masked-3989d150-59f7-45af-9ee5-a7d2e578ff27", set()),
        ("", set()),
    ],
)
def test_text_findings(text: str, found: set[str]) -> None:
    assert shapes.findings(None, text) == found


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
        email = fakes.reserved_email(rng, fakes.email_local_part(first, last), rng.randrange(10**6))
        assert not shapes.findings(Kind.EMAIL, email)
        assert not shapes.findings(Kind.PHONE, fakes.fictional_phone(rng))
        assert not shapes.findings(Kind.STREET_ADDRESS, fakes.street_address(rng))
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
