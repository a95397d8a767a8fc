"""What real-looking PII looks like, by shape. Pure functions, no database: the scanner
applies them to every value it reads, and the generation guard to every registered column
a seed revision writes.

A value is suspicious when it contains
- an e-mail address whose domain is not reserved (example.com/.net/.org and their
  subdomains; the .example, .test, .invalid and .localhost top-level domains); the local
  part may hold any letters (josé@...), and only its last 64 characters are read;
- a phone number outside the fictional 555-0100..555-0199 range: in a registered phone
  column any value with 7 or more digits; elsewhere a North American number of 10 digits
  (an optional country code 1, then area code and exchange that phonenumbers calls valid),
  written with any of space, dot, hyphen, slash, dashes and parentheses between the
  groups, or none ("4155552671"), or an international "+<country code> <number>" that
  phonenumbers calls valid;
- a payment card number: 13-19 digits, bare or in groups split by one kind of separator
  (space, hyphen, dot), with a card network's prefix and a valid Luhn check digit;
- a US social security number: ddd-dd-dddd, ddd dd dddd, ddd.dd.dddd or 9 bare digits,
  with a valid area, group and serial;
- a public IP address: IPv4 (not private, loopback, link-local, shared or a documentation
  range; leading zeros read as decimal) or global unicast IPv6 (2000::/3, not the
  documentation range);
- in a registered external-id column, an id that seeding ("seed-") or masking ("masked-")
  did not make.

A value is read as it is and, where it holds them, with its encodings undone: JSON is
decoded and every string and number in it checked (keys included), and \\uXXXX escapes and
&#NN; character references are decoded. A number counts only when it stands alone: digits
glued to letters or to a code ("ORD-4155552671", "415-555-2671-A", "v4.17.21.3") are part
of a code, and a number labelled as an identifier ("SKU 4000000000000002", "INV
123-45-6789", "Version 4.17.21.3", "Lot 4155552671", "#4155552671") is an identifier.

Every check is linear in the length of the value: candidates are found by patterns with
bounded repetition (an e-mail address by its "@", expanded at most 64 characters left and
255 right), and each candidate is validated once. It is a heuristic: it cannot tell a real
person's name or street address from a made-up one, and shapes it does not know pass
(docs/compliance.md)."""

import ipaddress
import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

import phonenumbers

from seed_data.pii.registry import Kind
from seed_data.pii.synthetic import (
    FICTIONAL_EXCHANGE,
    FICTIONAL_LINES,
    RESERVED_EMAIL_DOMAINS,
    RESERVED_TOP_LEVEL_DOMAINS,
    SYNTHETIC_ID_PREFIXES,
)

EMAIL = "e-mail"
PHONE = "phone"
CARD = "card number"
SSN = "social security number"
IP_ADDRESS = "IP address"
EXTERNAL_ID = "external id"
FINDINGS = (EMAIL, PHONE, CARD, SSN, IP_ADDRESS, EXTERNAL_ID)
_TEXT_KINDS = frozenset((EMAIL, PHONE, CARD, SSN, IP_ADDRESS))

_SHAPES = "no e-mail, phone, card, SSN or IP shape"
CHECKS: dict[Kind, str] = {
    Kind.EMAIL: "e-mail domain is reserved; no other PII shape",
    Kind.PHONE: "every number with 7+ digits is 555-0100..555-0199; no other PII shape",
    Kind.EXTERNAL_ID: "starts with seed- or masked-; no other PII shape",
    Kind.PERSON_NAME: f"{_SHAPES} (a real name cannot be told)",
    Kind.COMPANY_NAME: f"{_SHAPES} (a real name cannot be told)",
    Kind.STREET_ADDRESS: f"{_SHAPES} (a real address cannot be told)",
    Kind.FREE_TEXT: _SHAPES,
}

# What can hold a finding: an "@", four digits close together (every number shape has
# four digits with at most 5 other characters between each), two colons close together
# (every IPv6 address), or an escape that may hide any of these. The same pattern runs in
# PostgreSQL (`~`) as the scanner's prefilter, so it ships only candidates to Python: it
# must stay a superset of every check below.
SQL_WORTH_A_LOOK = (
    r"@|[0-9][^0-9]{0,5}[0-9][^0-9]{0,5}[0-9][^0-9]{0,5}[0-9]"
    r"|:[0-9A-Fa-f]{0,4}:|\\u[0-9A-Fa-f]{4}|&#"
)
SQL_SEVEN_DIGITS = r"(?:[0-9][^0-9]*){7}"
_WORTH_A_LOOK = re.compile(SQL_WORTH_A_LOOK)
_FOUR_DIGITS = re.compile(r"[0-9][^0-9]{0,5}[0-9][^0-9]{0,5}[0-9][^0-9]{0,5}[0-9]")
_DIGITS = re.compile(r"[0-9]")

# Values up to this length are cached: repeated short values (names, phones, e-mail
# addresses) are checked once, and a cache of long values would hold their text.
_CACHED_LENGTH = 256

# --- e-mail -----------------------------------------------------------------------------
_LOCAL_MAX, _DOMAIN_MAX = 64, 255  # RFC 5321 4.5.3.1
# Applied to the reversed text before an "@": the local part's characters, any letters.
_LOCAL_PART = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]{1,64}")
_DOMAIN = re.compile(r"[\w.-]{1,255}")
# An "@" worth expanding: a local-part character before it, and a dot within the first
# label's reach after it (every domain checked below has one).
_AT = re.compile(r"(?<=[\w.!#$%&'*+/=?^`{|}~-])@(?=[\w-]{1,63}\.\w)")

# --- numbers ----------------------------------------------------------------------------
_SPACE = "[ \t\u00a0\u2007\u2009\u202f]"
_DASH = "[-./\u2010-\u2015\u2212]"  # hyphen, dot, slash, Unicode dashes, minus
_SEPARATOR = f"(?:{_SPACE}?{_DASH}{_SPACE}?|{_SPACE})"  # 1 to 3 characters
# Between two digit groups of a phone number: also parentheses, "(415)555" and ") - (".
_PHONE_SEPARATOR = rf"(?:\)?{_SEPARATOR}\(?|\)|\()"  # 1 to 5 characters
# A number stands alone: not right after a letter or digit, nor after a letter or digit
# and a hyphen, dot or slash (the tail of a code like ORD-4155552671 or a dotted version).
_ALONE = rf"(?<!\w)(?<!\w{_DASH})"
_GLUED_RIGHT = re.compile(rf"\w|{_DASH}\w")
_EXTENSION = re.compile(r"(?i)(?:x|ext)\.?[ \t]?[0-9]")
_CIDR_SUFFIX = re.compile(r"/[0-9]{1,2}(?![\w.])")
_NANP = re.compile(
    rf"{_ALONE}(?:(?:\+{_SPACE}?)?1(?:{_SEPARATOR}|{_SPACE}?(?=\())?)?"
    rf"(?:\(([2-9][0-9]{{2}})\){_SEPARATOR}?|([2-9][0-9]{{2}}){_SEPARATOR}?)"
    rf"([2-9][0-9]{{2}}){_SEPARATOR}?([0-9]{{4}})(?![0-9])"
)
_INTERNATIONAL = re.compile(
    rf"(?<![\w+])\+{_SPACE}?\(?[0-9]+(?:{_PHONE_SEPARATOR}[0-9]+){{0,9}}(?![0-9])"
)
_DIGIT_RUN = re.compile(r"[0-9]+")
_CARD = re.compile(
    rf"{_ALONE}(?:[0-9]{{13,19}}|[0-9]{{4}}([- .\u2010-\u2015])[0-9]{{2,6}}"
    r"(?:\1[0-9]{1,6}){1,3})(?![0-9])"
)
_CARD_PREFIXES = re.compile(r"4|5[1-5]|2[2-7]|3[47]|6(?:011|5|4[4-9])|35|30[0-5]|36|38")
_SSN = re.compile(rf"{_ALONE}([0-9]{{3}})([-. \u2010-\u2015]?)([0-9]{{2}})\2([0-9]{{4}})(?![0-9])")
_IPV4 = re.compile(
    rf"{_ALONE}([0-9]{{1,3}})\.([0-9]{{1,3}})\.([0-9]{{1,3}})\.([0-9]{{1,3}})(?![0-9])"
)
_IPV6 = re.compile(r"(?<![\w:.])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}(?![\w:])")
_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
# A number right after one of these words (and an optional "no.", "#", ":") identifies a
# thing, not a person. "#" alone counts too, unless a word for PII stands before it.
_IDENTIFIER_WORDS = (
    "sku|upc|ean|gtin|inv|invoice|order|ord|po|lot|batch|version|ver|v|build|rev|release"
    "|ref|reference|item|part|model|serial|ticket|tracking|manifest|pkg|package"
)
_LABEL = re.compile(
    rf"(?i)(?:(?<![^\W\d_])(?:{_IDENTIFIER_WORDS})\.?[ \t]{{0,3}}"
    r"(?:(?:no|nr|num|number|id)\.?[ \t]{0,3})?[:#\-\u2013]?"
    r"|(?<![^\W\d_])([^\W\d_]*)[ \t]{0,3}#)[ \t]{0,3}\Z"
)
_PII_WORD = re.compile(
    r"(?i)ssn|social|phone|tel|cell|mobile|fax|card|cc|ip|contact|number|account|acct"
)
_LABEL_REACH = 40

# --- encodings --------------------------------------------------------------------------
_JSON_START = re.compile(r"[ \t\r\n]*[\[{\"]")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|([nrtbf\"/\\]))")
_ESCAPED = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]{1,6})|([0-9]{1,7}));")


def reserved_domain(domain: str) -> bool:
    domain = domain.lower().rstrip(".")
    if domain.rsplit(".", 1)[-1] in RESERVED_TOP_LEVEL_DOMAINS:
        return True
    return any(domain == base or domain.endswith("." + base) for base in RESERVED_EMAIL_DOMAINS)


def fictional_digits(digits: str) -> bool | None:
    """Whether a phone number's digits are in the fictional range; None when there are
    too few digits (under 7) to be a phone number at all. A leading 1 of 11+ digits is the
    NANP country code; then the first 10 digits are area, exchange and line (the rest an
    extension), and 7 to 9 digits start with exchange and line."""
    core = digits[1:] if len(digits) >= 11 and digits.startswith("1") else digits
    if len(core) >= 10:
        exchange, line = core[3:6], core[6:10]
    elif len(core) >= 7:
        exchange, line = core[:3], core[3:7]
    else:
        return None
    return exchange == FICTIONAL_EXCHANGE and int(line) in FICTIONAL_LINES


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _candidates(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Every match, overlapping ones included: a candidate that turns out harmless must
    not hide a real one that starts inside it. Each search is bounded, so this stays
    linear."""
    position = 0
    while (match := pattern.search(text, position)) is not None:
        yield match
        position = match.start() + 1


def _glued_right(text: str, end: int) -> bool:
    """Whether a number ending at `end` runs on into a code ("-A", "x", ".5")."""
    return _GLUED_RIGHT.match(text, end) is not None and _EXTENSION.match(text, end) is None


def _labelled(text: str, start: int) -> bool:
    """Whether the number at `start` is labelled as an identifier (SKU, INV, #...)."""
    label = _LABEL.search(text, max(0, start - _LABEL_REACH), start)
    return label is not None and not _PII_WORD.fullmatch(label.group(1) or "")


def _real_email(text: str) -> bool:
    for match in _AT.finditer(text):
        at = match.start()
        local = _LOCAL_PART.match(text[max(0, at - _LOCAL_MAX) : at][::-1])
        if local is not None and local.group().strip("."):
            domain = _DOMAIN.match(text, at + 1)
            if domain is not None and _real_domain(domain.group().rstrip(".-")):
                return True
    return False


def _real_domain(domain: str) -> bool:
    labels = domain.split(".")
    if len(labels) < 2 or len(domain) > _DOMAIN_MAX:
        return False
    if not all(
        0 < len(label) <= 63 and "_" not in label and label[0] != "-" and label[-1] != "-"
        for label in labels
    ):
        return False
    top = labels[-1]
    if not (top.isalpha() and len(top) >= 2) and not top.lower().startswith("xn--"):
        return False
    return not reserved_domain(domain)


@lru_cache(maxsize=16_384)
def _real_nanp(ten_digits: str) -> bool:
    if fictional_digits(ten_digits):
        return False
    number = phonenumbers.PhoneNumber(country_code=1, national_number=int(ten_digits))
    return bool(phonenumbers.is_valid_number(number))


@lru_cache(maxsize=16_384)
def _real_international(written: str) -> bool:
    try:
        number = phonenumbers.parse(written)
    except phonenumbers.NumberParseException:
        return False
    if number.country_code == 1 and fictional_digits(str(number.national_number)):
        return False
    return bool(phonenumbers.is_valid_number(number))


def _phone(text: str) -> bool:
    for match in _candidates(_NANP, text):
        area = match.group(1) or match.group(2)
        if (
            _real_nanp(area + match.group(3) + match.group(4))
            and not _glued_right(text, match.end())
            and not _labelled(text, match.start())
        ):
            return True
    if "+" not in text:
        return False
    for match in _candidates(_INTERNATIONAL, text):
        # The match may run on into the next number: try it up to each group's end.
        digits = 0
        for run in _DIGIT_RUN.finditer(match.group()):
            digits += run.end() - run.start()
            if digits > 15:  # ITU-T E.164: 15 digits at most
                break
            end = match.start() + run.end()
            if (
                digits >= 8
                and _real_international(text[match.start() : end])
                and not _glued_right(text, end)
                and not _labelled(text, match.start())
            ):
                return True
    return False


def _card_number(text: str) -> bool:
    for match in _candidates(_CARD, text):
        # Groups may run on into the next number: try each end at a group boundary.
        digits = ""
        for run in _DIGIT_RUN.finditer(match.group()):
            digits += run.group()
            end = match.start() + run.end()
            if (
                13 <= len(digits) <= 19
                and _CARD_PREFIXES.match(digits)
                and luhn_valid(digits)
                and not _glued_right(text, end)
                and not _labelled(text, match.start())
            ):
                return True
    return False


def _ssn(text: str) -> bool:
    for match in _candidates(_SSN, text):
        area, _, group, serial = match.groups()
        if (
            area not in ("000", "666")
            and area[0] != "9"
            and group != "00"
            and serial != "0000"
            and not _glued_right(text, match.end())
            and not _labelled(text, match.start())
        ):
            return True
    return False


@lru_cache(maxsize=16_384)
def _public_ipv4(octets: tuple[str, str, str, str]) -> bool:
    values = [int(octet) for octet in octets]  # "010" is ten: leading zeros read as decimal
    if any(value > 255 for value in values):
        return False
    address = ipaddress.IPv4Address(bytes(values))
    # is_global is False for private, loopback, link-local, shared and the documentation
    # ranges 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24.
    return address.is_global and not address.is_multicast


@lru_cache(maxsize=16_384)
def _global_ipv6(written: str) -> bool:
    try:
        address = ipaddress.IPv6Address(written)
    except ValueError:  # a time of day, a MAC address, hex words: not an address
        return False
    return address in _GLOBAL_UNICAST and address.is_global


def _public_ip(text: str) -> bool:
    for match in _candidates(_IPV4, text):
        end = match.end()
        if (
            _public_ipv4((match.group(1), match.group(2), match.group(3), match.group(4)))
            and (not _glued_right(text, end) or _CIDR_SUFFIX.match(text, end) is not None)
            and not _labelled(text, match.start())
        ):
            return True
    return ":" in text and _public_ipv6(text)


def _public_ipv6(text: str) -> bool:
    return any(_global_ipv6(match.group()) for match in _candidates(_IPV6, text))


_CHECKS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    (PHONE, _phone),
    (CARD, _card_number),
    (SSN, _ssn),
)


def _shapes_in(text: str) -> set[str]:
    found = set()
    if "@" in text and _real_email(text):
        found.add(EMAIL)
    if _FOUR_DIGITS.search(text):  # every number shape has them; most long texts too
        found.update(kind for kind, check in _CHECKS if check(text))
        if _public_ip(text):
            found.add(IP_ADDRESS)
    elif ":" in text and _public_ipv6(text):
        found.add(IP_ADDRESS)
    return found


def _json_strings(text: str) -> list[str] | None:
    """Every string and number in a JSON document, keys included (duplicates too); None
    when the text is not JSON."""
    try:
        document = json.loads(
            text,
            object_pairs_hook=list,
            parse_int=str,
            parse_float=str,
            parse_constant=str,
        )
    except (ValueError, RecursionError):
        return None
    strings: list[str] = []
    pending: list[Any] = [document]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            strings.append(item)
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return strings


def _unescaped(match: re.Match[str]) -> str:
    code, char = match.groups()
    return chr(int(code, 16)) if code else _ESCAPED.get(char, char)


def _referenced(match: re.Match[str]) -> str:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    return chr(code) if code <= 0x10FFFF else ""


def _decoded(text: str) -> Iterator[str]:
    """The value with its encodings undone: JSON strings, escapes, character references."""
    strings = _json_strings(text) if _JSON_START.match(text) else None
    if strings is not None:
        yield from strings
    elif "\\" in text:
        decoded = _ESCAPE.sub(_unescaped, text)
        if decoded != text:
            yield decoded
    if "&#" in text:
        decoded = _CHARACTER_REFERENCE.sub(_referenced, text)
        if decoded != text:
            yield decoded


def _text_findings(text: str) -> frozenset[str]:
    if not _WORTH_A_LOOK.search(text):
        return frozenset()
    found = _shapes_in(text)
    for variant in _decoded(text):
        if found == _TEXT_KINDS:
            break
        found |= text_findings(variant)
    return frozenset(found)


_cached_text_findings = lru_cache(maxsize=65_536)(_text_findings)


def text_findings(text: str) -> frozenset[str]:
    """The kinds of real-looking PII anywhere in a text."""
    if len(text) <= _CACHED_LENGTH:
        return _cached_text_findings(text)
    return _text_findings(text)


def _findings(kind: Kind | None, value: str) -> frozenset[str]:
    found = set(text_findings(value))
    if kind is Kind.PHONE:
        fictional = fictional_digits("".join(_DIGITS.findall(value)))
        if fictional is False:
            found.add(PHONE)
    elif kind is Kind.EXTERNAL_ID and value.strip() and not value.startswith(SYNTHETIC_ID_PREFIXES):
        found.add(EXTERNAL_ID)
    return frozenset(found)


_cached_findings = lru_cache(maxsize=65_536)(_findings)


def findings(kind: Kind | None, value: str) -> frozenset[str]:
    """The kinds of real-looking PII in a value of a column of `kind` (None: a column that
    is not registered, checked by shape only)."""
    if len(value) <= _CACHED_LENGTH:
        return _cached_findings(kind, value)
    return _findings(kind, value)
