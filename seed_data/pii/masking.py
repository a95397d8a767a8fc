"""Keyed, deterministic masking: the fake for a value is chosen by HMAC-SHA256 over
SEED_MASKING_KEY, the kind and the normalised value.

- Same key, same value, same kind: same fake, in every table and every run, so joins on
  masked columns keep working ("Ana@X.com " and "ana@x.com" are one value).
- Without the key the mapping cannot be recomputed, so a candidate list (every customer
  e-mail of a competitor, every phone number of an area code) cannot be tried against it.
- Faker is never seeded with a value: fakes are picked by index from pools built once
  from Faker's name lists and the project's datasets.
- E-mail addresses and external ids carry 50 and 122 HMAC bits of their own, so distinct
  values stay distinct in practice (unique columns stay unique); the other kinds draw from
  small pools and may collide (no registered column of those kinds is unique).
- A column of a kind holds only that kind afterwards: a phone column only a phone number
  (a phone written alone keeps its punctuation), an e-mail column only an e-mail address,
  whatever else was typed into it. NULL stays NULL, blank stays blank.

Two strategies (the environments of docs/contract.md): `full` for development and test
replaces every part; `pattern` for staging keeps what statistics need: each real e-mail
domain maps to one stable reserved domain (so the domain distribution survives,
docs/compliance.md says why that is the one pattern kept whole), and names and free text
keep about their length (names within 2 letters, never by rule the same). Phone numbers
keep nothing real. Production is never masked: it has real data by right and is refused
by the command."""

import base64
import hmac
import math
import re
import secrets
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from enum import StrEnum
from functools import lru_cache
from typing import TypeVar

from faker.providers.person.en_US import Provider as FakerPersonProvider

from seed_data import project
from seed_data.errors import ConfigurationError, Refusal
from seed_data.pii.registry import Kind
from seed_data.pii.synthetic import FICTIONAL_EXCHANGE, RESERVED_EMAIL_DOMAINS, email_local_part

KEY_VARIABLE = "SEED_MASKING_KEY"
MIN_KEY_LENGTH = 32
KEY_HINT = "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
EMAIL_SUFFIX_CHARS = 10  # base32: 50 bits
EXTERNAL_ID_PREFIX = "masked-"
_DIGITS = "0123456789"
# A phone number written alone: digits in phone punctuation, bounded (a linear match).
_PHONE_AS_WRITTEN = re.compile(r"\+?[0-9][0-9 ().\-/\u2013]{5,23}[0-9]")
MIN_KEY_BITS = 128

T = TypeVar("T")
_hmac_sha256 = hmac.digest


class Strategy(StrEnum):
    FULL = "full"  # development, test: every part replaced
    PATTERN = "pattern-preserving"  # staging: e-mail domain distribution, rough lengths


class MaskingKeyMissing(Refusal):
    """Staging (or production) without SEED_MASKING_KEY."""


class MaskingRefused(Refusal):
    """Masking a database whose effective environment is production."""


def strategy_for(environment: str) -> Strategy:
    if environment == "production":
        raise MaskingRefused(
            "refusing to mask a production database: production keeps its real data and "
            "masking cannot be undone. Restore a copy into a staging or development database, "
            "re-stamp it (docs/runbook.md), and mask the copy."
        )
    return Strategy.PATTERN if environment == "staging" else Strategy.FULL


class MaskingKey:
    """The secret. Never printed: repr and str show only where it came from."""

    __slots__ = ("_secret", "source")

    def __init__(self, secret: bytes, source: str) -> None:
        self._secret = secret
        self.source = source  # "SEED_MASKING_KEY" or "random"

    @classmethod
    def random(cls) -> "MaskingKey":
        return cls(secrets.token_bytes(32), "random")

    @property
    def is_random(self) -> bool:
        return self.source == "random"

    def digest(self, label: str, message: str) -> bytes:
        return _hmac_sha256(self._secret, f"{label}\x1f{message}".encode(), "sha256")

    def __repr__(self) -> str:
        return f"MaskingKey(source={self.source!r}, secret=<hidden>)"

    __str__ = __repr__


def resolve_key(env: Mapping[str, str], environment: str) -> MaskingKey:
    """SEED_MASKING_KEY from the environment or .env (`settings.load_environment`).
    Staging and production need it; development and test get a random key for this run
    only, never stored: a stored key would let anyone who can read the database recompute
    the mapping and test candidate values against it."""
    raw = env.get(KEY_VARIABLE, "").strip()
    if raw:
        if len(raw) < MIN_KEY_LENGTH:
            raise ConfigurationError(
                f"{KEY_VARIABLE} is shorter than {MIN_KEY_LENGTH} characters, too weak to keep "
                f"the masking secret: {KEY_HINT}"
            )
        bits = key_strength_bits(raw)
        if bits < MIN_KEY_BITS:
            raise ConfigurationError(
                f"{KEY_VARIABLE} has about {bits:.0f} bits of randomness (characters repeat, "
                f"or too few different ones), and masking needs at least {MIN_KEY_BITS}: "
                f"{KEY_HINT}"
            )
        return MaskingKey(raw.encode(), KEY_VARIABLE)
    if environment in ("staging", "production"):
        raise MaskingKeyMissing(
            f"{KEY_VARIABLE} is not set: masking a {environment} database needs a key kept "
            f"in the secret store (never in the database or the repository); {KEY_HINT}"
        )
    return MaskingKey.random()


def key_strength_bits(raw: str) -> float:
    """An upper bound on a key's randomness: its length times the entropy of its own
    character frequencies. 32 times the same letter is 0; a 43-character token_urlsafe
    is about 220. A key below the bound is surely weak; above it, it may still be (a
    sentence), which is why the hint says how to make one."""
    counts = Counter(raw)
    per_char = sum(n / len(raw) * math.log2(len(raw) / n) for n in counts.values())
    return per_char * len(raw)  # never -0.0: one repeated character is exactly 0


def normalise(kind: Kind, value: str) -> str:
    """The form two spellings of one value share: the HMAC is taken over this."""
    if kind is Kind.PHONE:
        # Digits only, without the NANP country code 1 (the same rule as shapes.py).
        digits = "".join(char for char in value if char in _DIGITS)
        return digits[1:] if len(digits) >= 11 and digits.startswith("1") else digits
    if kind is Kind.EXTERNAL_ID:
        return value.strip()
    text = unicodedata.normalize("NFKC", value)
    if kind is Kind.EMAIL:
        return text.strip().lower()
    return " ".join(text.casefold().split())


class Draws:
    """An endless stream of HMAC output for one value: blocks HMAC(key, label|n, value)."""

    __slots__ = ("_block", "_buffer", "_key", "_label", "_message", "_offset")

    def __init__(self, key: MaskingKey, label: str, message: str) -> None:
        self._key, self._label, self._message = key, label, message
        self._buffer = key.digest(f"{label}|0", message)  # 32 bytes: most values need no more
        self._offset = 0
        self._block = 1

    def take(self, size: int) -> bytes:
        end = self._offset + size
        while end > len(self._buffer):
            self._buffer += self._key.digest(f"{self._label}|{self._block}", self._message)
            self._block += 1
        taken = self._buffer[self._offset : end]
        self._offset = end
        return taken

    def below(self, limit: int) -> int:
        # 64 bits modulo a pool of at most a few thousand: bias below 1e-15.
        return int.from_bytes(self.take(8), "big") % limit

    def pick(self, pool: Sequence[T]) -> T:
        return pool[self.below(len(pool))]

    def token(self, chars: int) -> str:
        """Lower-case base32 characters (a-z, 2-7), 5 bits each."""
        raw = self.take((chars * 5 + 7) // 8)
        return base64.b32encode(raw).decode().lower()[:chars]


def _ascii_names(names: Iterator[str]) -> tuple[str, ...]:
    return tuple(sorted({name for name in names if name.isascii() and name.isalpha()}))


FIRST_NAMES = _ascii_names(iter(FakerPersonProvider.first_names))
LAST_NAMES = _ascii_names(iter(FakerPersonProvider.last_names))


def _by_length(names: tuple[str, ...]) -> dict[int, tuple[str, ...]]:
    buckets: dict[int, list[str]] = {}
    for name in names:
        buckets.setdefault(len(name), []).append(name)
    return {length: tuple(bucket) for length, bucket in sorted(buckets.items())}


_FIRST_BY_LENGTH = _by_length(FIRST_NAMES)
_LAST_BY_LENGTH = _by_length(LAST_NAMES)


def _similar(buckets: dict[int, tuple[str, ...]], length: int) -> tuple[str, ...]:
    nearest = min(buckets, key=lambda size: (abs(size - length), size))
    return buckets[nearest]


NAME_LENGTH_JITTER = 2  # a masked name is within 2 letters of the real one, never exact by rule


DESCRIPTIONS: dict[tuple[Kind, Strategy], str] = {
    (Kind.PERSON_NAME, Strategy.FULL): "Faker first + last name",
    (Kind.PERSON_NAME, Strategy.PATTERN): (
        "Faker first + last name, each within 2 letters of the real one's length"
    ),
    (Kind.COMPANY_NAME, Strategy.FULL): '"<word> <suffix>" from the business word lists',
    (Kind.COMPANY_NAME, Strategy.PATTERN): (
        '"<word> <suffix> [of <city>]", "of <city>" when the real name is longer'
    ),
    (Kind.EMAIL, Strategy.FULL): (
        "<first>.<last>.<10 HMAC chars>@example.com/.net/.org (unique in practice)"
    ),
    (Kind.EMAIL, Strategy.PATTERN): (
        "<first>.<last>.<10 HMAC chars>@d<8 HMAC chars>.example.com/.net/.org: one stable "
        "reserved domain per real domain"
    ),
    (Kind.PHONE, Strategy.FULL): (
        "California area code + 555-01xx, nothing else; a value written as a phone number "
        "alone keeps its punctuation"
    ),
    (Kind.PHONE, Strategy.PATTERN): (
        "California area code + 555-01xx, nothing else; a value written as a phone number "
        "alone keeps its punctuation"
    ),
    (Kind.STREET_ADDRESS, Strategy.FULL): (
        "<number> <street> <suffix>, <California city>, CA <ZIP> from the datasets"
    ),
    (Kind.STREET_ADDRESS, Strategy.PATTERN): (
        "<number> <street> <suffix>, <California city>, CA <ZIP> from the datasets"
    ),
    (Kind.FREE_TEXT, Strategy.FULL): "replaced whole by one neutral note text",
    (Kind.FREE_TEXT, Strategy.PATTERN): "replaced whole by neutral note texts of about its length",
    (Kind.EXTERNAL_ID, Strategy.FULL): "masked-<UUID from 122 HMAC bits> (unique in practice)",
    (Kind.EXTERNAL_ID, Strategy.PATTERN): "masked-<UUID from 122 HMAC bits> (unique in practice)",
}
# Kinds whose fakes carry enough HMAC bits to stay distinct: only these may be unique.
COLLISION_FREE_KINDS = frozenset({Kind.EMAIL, Kind.EXTERNAL_ID})


MAX_REDRAWS = 8


class Masker:
    """Masks values of every kind with one key and one strategy."""

    def __init__(self, key: MaskingKey, strategy: Strategy) -> None:
        self.key = key
        self.strategy = strategy
        self.pools = project.current().masking_pools
        self.mask = lru_cache(maxsize=200_000)(self._mask)

    def _mask(self, kind: Kind, value: str | None, max_length: int | None = None) -> str | None:
        if value is None or not value.strip():
            return value
        normalised = normalise(kind, value)
        draws = Draws(self.key, kind.name, normalised)
        pattern = self.strategy is Strategy.PATTERN
        if kind is Kind.EMAIL:
            return self._email(draws, normalised, max_length)
        if kind is Kind.PHONE:
            return self._phone(draws, value)
        if kind is Kind.EXTERNAL_ID:
            return EXTERNAL_ID_PREFIX + str(uuid.UUID(bytes=draws.take(16), version=4))
        # a value the pools also hold (a seeded note, a common name) could be drawn back
        # unchanged: the draws go on until the mask differs from it (compared normalised, so
        # every spelling of one value still gets one mask)
        for _ in range(MAX_REDRAWS):
            masked = _fit(self._pooled(kind, draws, normalised, pattern), max_length)
            if normalise(kind, masked) != normalised:
                break
        return masked

    def _pooled(self, kind: Kind, draws: Draws, normalised: str, pattern: bool) -> str:
        """A mask drawn from the fake pools: names, companies, addresses, notes."""
        if kind is Kind.PERSON_NAME:
            return self._person(draws, normalised) if pattern else self._person(draws, "")
        if kind is Kind.COMPANY_NAME:
            pools = self.pools
            masked = f"{draws.pick(pools.company_words)} {draws.pick(pools.company_suffixes)}"
            if pattern and len(normalised) > len(masked) + 6:
                masked += f" of {draws.pick(pools.cities)}"
            return masked
        if kind is Kind.STREET_ADDRESS:
            return (
                f"{100 + draws.below(9900)} {draws.pick(self.pools.street_names)} "
                f"{draws.pick(self.pools.street_suffixes)}, {draws.pick(self.pools.cities)}, "
                f"CA {90001 + draws.below(6161)}"
            )
        return self._text(draws, len(normalised) if pattern else 0)

    def _person(self, draws: Draws, normalised: str) -> str:
        tokens = normalised.split()
        if not tokens:  # full strategy: any first and last name
            return f"{draws.pick(FIRST_NAMES)} {draws.pick(LAST_NAMES)}"

        def about(length: int) -> int:
            return length + draws.below(2 * NAME_LENGTH_JITTER + 1) - NAME_LENGTH_JITTER

        first = draws.pick(_similar(_FIRST_BY_LENGTH, about(len(tokens[0]))))
        if len(tokens) == 1:
            return first
        return f"{first} {draws.pick(_similar(_LAST_BY_LENGTH, about(len(tokens[-1]))))}"

    def _text(self, draws: Draws, length: int) -> str:
        notes = self.pools.notes
        parts = [draws.pick(notes)]
        while sum(len(part) + 2 for part in parts) < length and len(parts) < 200:
            parts.append(draws.pick(notes))
        text = ". ".join(parts)
        if length and len(text) > length + 10:
            text = text[: max(length, len(parts[0]))].rstrip(" .")
        return text

    def _email(self, draws: Draws, normalised: str, max_length: int | None) -> str:
        local = email_local_part(draws.pick(FIRST_NAMES), draws.pick(LAST_NAMES))
        suffix = draws.token(EMAIL_SUFFIX_CHARS)
        if self.strategy is Strategy.PATTERN:
            real_domain = normalised.rpartition("@")[2]
            domain_draws = Draws(self.key, "EMAIL_DOMAIN", real_domain)
            base = domain_draws.pick(RESERVED_EMAIL_DOMAINS)
            domain = f"d{domain_draws.token(8)}.{base}"
        else:
            domain = draws.pick(RESERVED_EMAIL_DOMAINS)
        address = f"{local}.{suffix}@{domain}"
        if max_length is not None and len(address) > max_length:
            address = f"{suffix}@{domain}"
            if len(address) > max_length:
                raise ConfigurationError(
                    f"an e-mail column of {max_length} characters is too short for masked addresses"
                )
        return address

    def _phone(self, draws: Draws, value: str) -> str:
        """Only a phone number comes out. A value written as a phone number alone (7, 10
        or 1 + 10 digits in phone punctuation) keeps its punctuation, new digits in the old
        places; anything else (a name beside the number, an extension, an e-mail, words)
        is replaced whole. The area code is never the real one."""
        area = draws.pick(self.pools.area_codes)
        line = f"01{draws.below(100):02d}"
        stripped = value.strip()
        old = "".join(char for char in stripped if char in _DIGITS)
        if _PHONE_AS_WRITTEN.fullmatch(stripped) and len(old) in (7, 10, 11):
            lead = "1" if len(old) == 11 else ""
            if len(old) == 11 and old[0] != "1":
                return f"({area}) {FICTIONAL_EXCHANGE}-{line}"
            core = FICTIONAL_EXCHANGE + line if len(old) == 7 else area + FICTIONAL_EXCHANGE + line
            new = iter(lead + core)
            return "".join(next(new) if char in _DIGITS else char for char in stripped)
        return f"({area}) {FICTIONAL_EXCHANGE}-{line}"


def _fit(value: str, max_length: int | None) -> str:
    if max_length is None or len(value) <= max_length:
        return value
    return value[:max_length].rstrip()
