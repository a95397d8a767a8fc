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

E, P, C, S, IP = shapes.EMAIL, shapes.PHONE, shapes.CARD, shapes.SSN, shapes.IP_ADDRESS
# Real-looking values, each written the ways people write them: every one must be found.
TRUE_CASES: list[tuple[str, set[str]]] = [
    ("ana.ruiz@gmail.com", {E}),
    ("write to Bob <bob@acme.io> today", {E}),
    ("mailto:JANE.DOE@GMAIL.COM.", {E}),
    ("josé@gmail.com", {E}),  # non-ASCII local part
    ("jane.doe@bücher.de", {E}),
    ('{"contact": "jane.doe\\u0040gmail.com"}', {E}),  # JSON escape
    ('{"jane.doe\\u0040gmail.com": true}', {E}),  # in a key
    ("jane.doe\\u0040gmail.com", {E}),  # an escape in plain text
    ("jane.doe&#64;gmail.com and jane&#x40;gmail.com", {E}),  # XML/HTML references
    ("x" * 100 + "@gmail.com", {E}),  # a local part over 64 characters is still read
    ("415-555-1234", {P}),
    ("call (415) 867-5309 now", {P}),
    ("+1 415.867.5309", {P}),
    ("+44 20 7946 0958", {P}),
    ("+33 1 23 45 67 89", {P}),
    ("415/555-2671", {P}),
    ("415\u2013555\u20132671", {P}),  # en-dashes
    ("415\u2014555\u2014267", set()),  # one digit short
    ("14155552671", {P}),
    ("4155552671", {P}),
    ("+14155552671", {P}),
    ("1-415-555-2671", {P}),
    ("1 (415) 555-2671", {P}),
    ("(415)555-2671", {P}),
    ("(415) - 555 - 2671", {P}),
    ("415.555.2671", {P}),
    ("415 555 2671", {P}),
    ("415-555-2671x12", {P}),  # an extension is not a code
    ("call 4155552671 re: order", {P}),
    ('["vip", "415-555-2671"]', {P}),  # a JSON array (clients.tags)
    ('{"note": "call\\n4155552671"}', {P}),  # "\n" glued to the digits until decoded
    ("2024-01-15 415-555-2671", {P}),
    ("card 4111 1111 1111 1111", {C}),
    ("4111.1111.1111.1111", {C}),
    ("4111-1111-1111-1111", {C}),
    ("4111111111111111", {C}),
    ("amex 3782 822463 10005", {C}),
    ("paid 4111 1111 1111 1111 2024", {C}),  # a number after the card
    ("123-45-6789", {S}),
    ("523 45 6789", {S}),
    ("523456789", {S}),
    ("ssn: 523.45.6789", {S}),
    ("SSN #523-45-6789", {S}),  # "#" after a word for PII is not an identifier label
    ("Phone number #4155552671", {P}),
    ("In case 415-555-2671 is busy", {P}),
    ("from 8.8.8.8", {IP}),
    ("from 8.8.8.8.", {IP}),  # a full stop ends the sentence
    ("gw 008.008.008.008", {IP}),  # leading zeros read as decimal
    ("8.8.8.0/24", {IP}),
    ("ip=8.8.8.8:53", {IP}),
    ("2600:1700:abcd::42", {IP}),
    ("[2001:4860:4860::8888]:443", {IP}),
    ("2a0b:4d07::beef", {IP}),
    ("2a0b::beef", {IP}),  # no four digits together: the prefilter keeps it by its colons
    ("::ffff:8.8.8.8", {IP}),
    ("Jane <jane@farm.io>, 415-867-5309, 8.8.8.8", {E, P, IP}),
]
# Harmless values that look a little like the above: none may be reported.
FALSE_CASES: list[str] = [
    "ana@example.com",
    "ana@mail.example.org",
    "ana@shop.test",
    "ana@host.example",
    "root@localhost",
    "@gmail.com",
    "jane@gmail",
    "jane@gmail.c0m",
    "jane@-bad.com",
    "jane@" + "a" * 300 + ".com",
    "+999 1234 5678",  # no such country code
    "a" * 40 + "@",
    "(415) 555-0123",
    "+1 415 555 0199 ext 7",
    "1-800-555-0199",
    "tel 555-2671",  # 7 digits: a phone only in a phone column
    "4111111111111112",  # Luhn fails
    "000-12-3456",
    "666-12-3456",
    "923-45-6789",
    "123-00-4567",
    "192.0.2.10 and 10.1.2.3 and 127.0.0.1",
    "gw 010.001.002.003",  # 10.1.2.3: private
    "2001:db8::1 fe80::1 ::1",
    "12:30:45 and 2024-01-15T12:30:45Z",
    "00:1a:2b:3c:4d:5e",  # a MAC address
    "dead::beef",  # not global unicast
    "ORD-000001, LOT-00001, BATCH-000001, SKU-12-34",
    "2024-01-15 total 1234.56",
    "01/15/2024 $1,234,567.89",
    "ZIP 94607-1234",
    "timestamp 1700000000",
    "1234567890",
    "masked-3989d150-59f7-45af-9ee5-a7d2e578ff27",
    "seed-12345678-1234-4123-8123-123456789012",
    "",
    # a number labelled as an identifier, or glued to a code, is not PII
    "INV 123-45-6789",
    "INV#123456789",
    "Invoice No. 123-45-6789",
    "Version 4.17.21.3",
    "v4.17.21.3",
    "build 8.8.8.8",
    "1.2.3.4.5",
    "SKU 4000000000000002",
    "PO #4111111111111111",
    "Lot 415-555-2671-A",
    "415-555-2671-A",
    "ORD-4155552671",
    "Order No. 4155552671",
    "#4155552671",
    "ref: 4155552671",
]


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
