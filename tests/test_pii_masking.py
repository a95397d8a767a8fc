"""Keyed masking without a database: deterministic with a key, different with another,
not reversible without it, shapes kept, and key handling."""

import hashlib
import re

import pytest
from faker import Faker

from seed_data.errors import ConfigurationError
from seed_data.pii import shapes
from seed_data.pii.masking import (
    FIRST_NAMES,
    KEY_VARIABLE,
    LAST_NAMES,
    Masker,
    MaskingKey,
    MaskingKeyMissing,
    MaskingRefused,
    Strategy,
    normalise,
    resolve_key,
    strategy_for,
)
from seed_data.pii.registry import Kind
from terp.fakes import CALIFORNIA_AREA_CODES
from terp.project import NOTES

KEY = MaskingKey(b"test key: 0123456789abcdef0123456789abcdef", "test")
OTHER_KEY = MaskingKey(b"another key: 0123456789abcdef0123456789abcd", "test")
SAMPLES = {
    Kind.PERSON_NAME: "Ana María Ruiz",
    Kind.COMPANY_NAME: "Ruiz Family Dispensary",
    Kind.EMAIL: "Ana.Ruiz@Gmail.com",
    Kind.PHONE: "(415) 867-5309",
    Kind.STREET_ADDRESS: "1600 Main Street, Oakland, CA 94607",
    Kind.FREE_TEXT: "Ana called from 415-867-5309, wants delivery to her home",
    Kind.EXTERNAL_ID: "google-oauth2|108123456789",
}
EMAIL_SHAPE = re.compile(r"^[a-z0-9.]+@[a-z0-9.]+$")


@pytest.mark.parametrize("strategy", list(Strategy))
@pytest.mark.parametrize("kind", list(Kind))
def test_deterministic_with_a_key_and_different_with_another(
    kind: Kind, strategy: Strategy
) -> None:
    value = SAMPLES[kind]
    first, again = Masker(KEY, strategy), Masker(KEY, strategy)
    masked = first.mask(kind, value)
    assert masked == again.mask(kind, value)  # another run, same key: same fake
    assert masked != value
    assert Masker(OTHER_KEY, strategy).mask(kind, value) != masked
    assert not shapes.findings(kind, masked or "")


@pytest.mark.parametrize("strategy", list(Strategy))
def test_a_value_the_pools_hold_is_never_handed_back(strategy: Strategy) -> None:
    """Seeded notes and names come from the very pools masks are drawn from; a mask that
    drew the value it replaces would leave it in place. Over 40 keys and every note, the
    first draw would do that dozens of times."""
    for index in range(40):
        masker = Masker(MaskingKey(f"key {index}: 0123456789abcdef".encode(), "t"), strategy)
        for note in NOTES:
            masked = masker.mask(Kind.FREE_TEXT, note)
            assert masked != note and masked == masker.mask(Kind.FREE_TEXT, note.upper())
        for name in FIRST_NAMES[:100]:
            assert masker.mask(Kind.PERSON_NAME, name) != name


def test_another_key_changes_almost_every_value() -> None:
    values = [f"buyer{i}@shop{i % 7}.com" for i in range(1_000)]
    ours, theirs = Masker(KEY, Strategy.FULL), Masker(OTHER_KEY, Strategy.FULL)
    same = sum(ours.mask(Kind.EMAIL, v) == theirs.mask(Kind.EMAIL, v) for v in values)
    assert same == 0


@pytest.mark.parametrize(
    ("kind", "spellings"),
    [
        (Kind.EMAIL, ["Ana@X.com ", "ana@x.com", " ANA@x.COM"]),
        (Kind.PHONE, ["415-867-5309", "(415) 867-5309", "+1 415 867 5309", "4158675309"]),
        (Kind.PHONE, ["415-867-5309 x12", "+1 (415) 867-5309 ext. 12"]),
        (Kind.PERSON_NAME, ["Ana  Ruiz", "ana ruiz", " ANA RUIZ "]),
        (Kind.STREET_ADDRESS, ["1 Main St", "1  main st"]),
    ],
)
def test_spellings_of_one_value_mask_alike(kind: Kind, spellings: list[str]) -> None:
    masker = Masker(KEY, Strategy.FULL)
    assert len({normalise(kind, spelling) for spelling in spellings}) == 1
    if kind is Kind.PHONE:  # punctuation is kept, the number is the same
        digits = {re.sub(r"\D", "", str(masker.mask(kind, s))).removeprefix("1") for s in spellings}
        assert len(digits) == 1
    else:
        assert len({masker.mask(kind, spelling) for spelling in spellings}) == 1


def test_brute_force_without_the_key_recovers_nothing() -> None:
    """An attacker knows the algorithm, the code and a candidate list that contains the
    real value, but not the key."""
    candidates = [
        f"{first}.{last}@{domain}".lower()
        for first in FIRST_NAMES[:20]
        for last in LAST_NAMES[:25]
        for domain in ("gmail.com", "yahoo.com")
    ]
    secret = MaskingKey(b"the real key, kept in the secret store, 32+ chars", "test")
    original = candidates[617]
    masked = Masker(secret, Strategy.FULL).mask(Kind.EMAIL, original)
    assert masked is not None

    # guessed keys, with the real algorithm
    guesses = [b"", b"development", b"SEED_MASKING_KEY", b"changeme" * 4, b"0" * 32]
    for guess in guesses:
        attacker = Masker(MaskingKey(guess, "guess"), Strategy.FULL)
        assert all(attacker.mask(Kind.EMAIL, c) != masked for c in candidates)
    # the naive scheme this replaces: Faker seeded with the real value
    for candidate in candidates:
        fake = Faker("en_US")
        fake.seed_instance(candidate)
        assert fake.email() != masked and fake.user_name() not in masked
    # unkeyed hashes of the candidates appear nowhere in the fake
    for candidate in candidates:
        for digest in (
            hashlib.sha256(candidate.encode()).hexdigest(),
            hashlib.md5(candidate.encode()).hexdigest(),
        ):
            assert digest[:8] not in masked
    # nothing of the original survives in the fake
    local, domain = original.split("@")
    assert local not in masked and domain not in masked
    # control: with the key the same brute force succeeds; that is why the key is secret
    holder = Masker(secret, Strategy.FULL)
    assert [c for c in candidates if holder.mask(Kind.EMAIL, c) == masked] == [original]


def test_faker_is_never_seeded(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("masking seeded Faker")

    monkeypatch.setattr(Faker, "seed", refuse)
    monkeypatch.setattr(Faker, "seed_instance", refuse)
    for strategy in Strategy:
        masker = Masker(KEY, strategy)
        for kind, value in SAMPLES.items():
            masker.mask(kind, value)


def test_shapes_are_kept() -> None:
    masker = Masker(KEY, Strategy.FULL)
    for index in range(500):
        email = masker.mask(Kind.EMAIL, f"Someone.{index}@Company{index}.com")
        assert email is not None and EMAIL_SHAPE.match(email), email
        assert shapes.reserved_domain(email.rpartition("@")[2])
    for phone in ("(415) 867-5309", "+1-415-867-5309", "867-5309", "415.867.5309", "4158675309"):
        masked = masker.mask(Kind.PHONE, phone)
        assert masked is not None
        assert re.sub(r"\d", "0", masked) == re.sub(r"\d", "0", phone)  # same punctuation
        assert not shapes.findings(Kind.PHONE, masked)
    assert masker.mask(Kind.PHONE, "n/a") != "n/a"


PHONE_ONLY = re.compile(r"\((\d{3})\) 555-01\d\d")


@pytest.mark.parametrize("strategy", list(Strategy))
@pytest.mark.parametrize(
    "value",
    [
        "Jane Doe (cell) 415 555 9090",
        "ask for Tom Nguyen",
        "jane.doe@gmail.com",
        "415.867.5309 ext. 12",
        "12",
        "+44 20 7946 0958",
        "call 4158675309 or 4155559090",
    ],
)
def test_a_phone_column_holds_only_a_phone_afterwards(strategy: Strategy, value: str) -> None:
    masked = str(Masker(KEY, strategy).mask(Kind.PHONE, value))
    found = PHONE_ONLY.fullmatch(masked)
    assert found is not None and found.group(1) in CALIFORNIA_AREA_CODES, masked
    assert not shapes.findings(Kind.PHONE, masked)


@pytest.mark.parametrize("strategy", list(Strategy))
def test_other_kinds_hold_only_their_kind_afterwards(strategy: Strategy) -> None:
    masker = Masker(KEY, strategy)
    for junk in ("call me: 415-867-5309", "Jane Doe", "n/a"):
        email = str(masker.mask(Kind.EMAIL, junk))
        assert EMAIL_SHAPE.match(email) and shapes.reserved_domain(email.rpartition("@")[2])
        assert str(masker.mask(Kind.EXTERNAL_ID, junk)).startswith("masked-")
        for kind in (Kind.PERSON_NAME, Kind.STREET_ADDRESS, Kind.COMPANY_NAME, Kind.FREE_TEXT):
            masked = str(masker.mask(kind, junk))
            assert "415" not in masked and "Jane" not in masked
    for blank in (None, "", "   "):
        for kind in Kind:
            assert masker.mask(kind, blank) == blank


def test_full_masking_picks_california_area_codes() -> None:
    masker = Masker(KEY, Strategy.FULL)
    areas = {str(masker.mask(Kind.PHONE, f"(212) 867-{i:04d}"))[1:4] for i in range(200)}
    assert areas <= set(CALIFORNIA_AREA_CODES) and len(areas) > 1


def test_pattern_preserving_keeps_domains_and_rough_lengths_only() -> None:
    masker = Masker(KEY, Strategy.PATTERN)
    domains = {"gmail.com": 6, "shop.example.io": 3, "farm.org": 1}
    fakes: dict[str, set[str]] = {}
    for domain, count in domains.items():
        for index in range(count):
            masked = str(masker.mask(Kind.EMAIL, f"person{index}@{domain}"))
            fakes.setdefault(domain, set()).add(masked.rpartition("@")[2])
    # one stable reserved domain per real domain, distinct from each other
    assert all(len(fake) == 1 for fake in fakes.values())
    mapped = {next(iter(fake)) for fake in fakes.values()}
    assert len(mapped) == len(domains) and all(shapes.reserved_domain(d) for d in mapped)

    # area codes are not kept: California ones, chosen by the key
    areas = {str(masker.mask(Kind.PHONE, f"(212) 867-{i:04d}"))[1:4] for i in range(100)}
    assert "212" not in areas and areas <= set(CALIFORNIA_AREA_CODES)
    assert re.fullmatch(r"\+1 \d{3} 555 01\d\d", str(masker.mask(Kind.PHONE, "+1 212 867 5309")))

    # names keep about their length, not the exact one by rule
    lengths = []
    for index in range(300):
        name = str(masker.mask(Kind.PERSON_NAME, f"Maria Lopez{index}"))
        first = name.split()[0]
        assert abs(len(first) - len("Maria")) <= 3
        lengths.append(len(first))
    assert len(set(lengths)) >= 4
    assert len(str(masker.mask(Kind.PERSON_NAME, "Bo"))) <= 5
    long_note = "x " * 150
    assert 250 <= len(str(masker.mask(Kind.FREE_TEXT, long_note))) <= 310
    short = str(masker.mask(Kind.COMPANY_NAME, "Al's"))
    longer = str(
        masker.mask(Kind.COMPANY_NAME, "The Very Long Name Of A Family Dispensary Cooperative")
    )
    assert " of " not in short and " of " in longer


def test_fakes_fit_the_column() -> None:
    masker = Masker(KEY, Strategy.FULL)
    assert len(str(masker.mask(Kind.PERSON_NAME, "Ana Ruiz", 5))) <= 5
    short_email = str(masker.mask(Kind.EMAIL, "ana@gmail.com", 30))
    assert len(short_email) <= 30 and EMAIL_SHAPE.match(short_email)
    with pytest.raises(ConfigurationError, match="too short for masked addresses"):
        masker.mask(Kind.EMAIL, "ana@gmail.com", 12)


def test_key_resolution() -> None:
    strong = "qX3v-Tn8Lr0pWz_7mK2bYs9dHc4eJ1uA6fNg"
    assert resolve_key({KEY_VARIABLE: strong}, "staging").source == KEY_VARIABLE
    for weak_key in ("a" * 32, "ab" * 20, "password" * 5):
        with pytest.raises(ConfigurationError, match="bits of randomness") as refused:
            resolve_key({KEY_VARIABLE: weak_key}, "staging")
        assert weak_key not in str(refused.value)
        assert "about -" not in str(refused.value)
    with pytest.raises(MaskingKeyMissing, match="SEED_MASKING_KEY is not set"):
        resolve_key({}, "staging")
    with pytest.raises(ConfigurationError, match="shorter than 32") as weak:
        resolve_key({KEY_VARIABLE: "short-secret"}, "development")
    assert "short-secret" not in str(weak.value)
    random_key = resolve_key({KEY_VARIABLE: "  "}, "development")
    assert random_key.is_random
    other = resolve_key({}, "test")
    assert Masker(random_key, Strategy.FULL).mask(Kind.EMAIL, "a@b.com") != Masker(
        other, Strategy.FULL
    ).mask(Kind.EMAIL, "a@b.com")


def test_the_key_never_shows() -> None:
    key = MaskingKey(b"super-secret-value-0123456789abcdef", "SEED_MASKING_KEY")
    assert "super-secret" not in repr(key) and "super-secret" not in str(key)
    assert "<hidden>" in repr(key)


def test_strategies_per_environment() -> None:
    assert strategy_for("development") is Strategy.FULL
    assert strategy_for("test") is Strategy.FULL
    assert strategy_for("staging") is Strategy.PATTERN
    with pytest.raises(MaskingRefused, match="refusing to mask a production database"):
        strategy_for("production")
