"""What real-looking PII looks like, by shape. Pure functions, no database: the scanner
applies them to every text column, and the generation guard to every registered column a
seed revision writes.

A value is suspicious when it contains
- an e-mail address whose domain is not reserved (example.com/.net/.org and their
  subdomains; the .example, .test, .invalid and .localhost top-level domains);
- a phone number outside the fictional 555-0100..555-0199 range: in a registered phone
  column any value with 7 or more digits, elsewhere a formatted NANP number
  ("(415) 555-1234", "415-555-1234", "+1 415.555.1234") or an international "+<digits>";
- a payment card number (13-19 digits with a card network's prefix and a valid Luhn
  check digit);
- a US social security number shaped ddd-dd-dddd with a valid area, group and serial;
- a public IPv4 address (not private, loopback, link-local or a documentation range);
- in a registered external-id column, an id that seeding ("seed-") or masking
  ("masked-") did not make.

It is a heuristic: it cannot tell a real person's name or street address from a made-up
one, and shapes it does not know pass (docs/compliance.md)."""

import ipaddress
import re
from functools import lru_cache

from seed_data.fakes import (
    FICTIONAL_EXCHANGE,
    FICTIONAL_LINES,
    RESERVED_EMAIL_DOMAINS,
    RESERVED_TOP_LEVEL_DOMAINS,
    SYNTHETIC_ID_PREFIXES,
)
from seed_data.pii.registry import Kind

EMAIL = "e-mail"
PHONE = "phone"
CARD = "card number"
SSN = "social security number"
IP_ADDRESS = "IP address"
EXTERNAL_ID = "external id"
FINDINGS = (EMAIL, PHONE, CARD, SSN, IP_ADDRESS, EXTERNAL_ID)

CHECKS: dict[Kind, str] = {
    Kind.EMAIL: "e-mail domain is reserved; no other PII shape",
    Kind.PHONE: "every number with 7+ digits is 555-0100..555-0199; no other PII shape",
    Kind.EXTERNAL_ID: "starts with seed- or masked-; no other PII shape",
    Kind.PERSON_NAME: "no e-mail, phone, card, SSN or IP shape (a real name cannot be told)",
    Kind.COMPANY_NAME: "no e-mail, phone, card, SSN or IP shape (a real name cannot be told)",
    Kind.STREET_ADDRESS: "no e-mail, phone, card, SSN or IP shape (a real address cannot be told)",
    Kind.FREE_TEXT: "no e-mail, phone, card, SSN or IP shape",
}

_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9])"
)
# A NANP number written the way people write one: separators between the groups.
_NANP = re.compile(
    r"(?<![\w+])(?:\+?1[\s.-]?)?(?:\(([2-9]\d\d)\)[\s.-]?|([2-9]\d\d)[\s.-])"
    r"([2-9]\d\d)[\s.-](\d{4})(?!\d)"
)
_INTERNATIONAL = re.compile(r"(?<![\w+])\+([02-9]\d{0,2})(?:[\s.()-]{0,2}\d){6,13}(?!\d)")
# Numbers stand alone: a digit run inside a word or a hex id (a UUID) is not one.
_CARD = re.compile(r"(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w-])")
_SSN = re.compile(r"(?<![\w-])(\d{3})-(\d{2})-(\d{4})(?![\w-])")
_IPV4 = re.compile(r"(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\w.])")
_WORTH_A_LOOK = re.compile(r"@|\d\D{0,3}\d\D{0,3}\d\D{0,3}\d")
# SQL prefilters with the same meaning, so a scan ships only candidates to Python.
SQL_WORTH_A_LOOK = r"@|[0-9][^0-9]{0,3}[0-9][^0-9]{0,3}[0-9][^0-9]{0,3}[0-9]"
SQL_SEVEN_DIGITS = r"([0-9][^0-9]*){7}"
_DIGITS = re.compile(r"\d")
_CARD_PREFIXES = re.compile(r"4|5[1-5]|2[2-7]|3[47]|6(?:011|5|4[4-9])|35|30[0-5]|36|38")


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


def _card_number(text: str) -> bool:
    for match in _CARD.finditer(text):
        digits = "".join(_DIGITS.findall(match.group()))
        if 13 <= len(digits) <= 19 and _CARD_PREFIXES.match(digits) and luhn_valid(digits):
            return True
    return False


def _ssn(text: str) -> bool:
    return any(
        area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"
        for area, group, serial in _SSN.findall(text)
    )


def _public_ip(text: str) -> bool:
    # is_global is False for private, loopback, link-local, shared and the documentation
    # ranges 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24.
    return any(
        all(int(octet) <= 255 for octet in octets)
        and ipaddress.IPv4Address(".".join(octets)).is_global
        for octets in _IPV4.findall(text)
    )


def _phone_in_text(text: str) -> bool:
    for match in _NANP.finditer(text):
        area = match.group(1) or match.group(2)
        if not fictional_digits(area + match.group(3) + match.group(4)):
            return True
    return _INTERNATIONAL.search(text) is not None


@lru_cache(maxsize=65_536)
def text_findings(text: str) -> frozenset[str]:
    """The kinds of real-looking PII anywhere in a text."""
    if not _WORTH_A_LOOK.search(text):
        return frozenset()
    found = set()
    if "@" in text and any(not reserved_domain(m.group(1)) for m in _EMAIL.finditer(text)):
        found.add(EMAIL)
    if _phone_in_text(text):
        found.add(PHONE)
    if _card_number(text):
        found.add(CARD)
    if _ssn(text):
        found.add(SSN)
    if _public_ip(text):
        found.add(IP_ADDRESS)
    return frozenset(found)


@lru_cache(maxsize=65_536)
def findings(kind: Kind | None, value: str) -> frozenset[str]:
    """The kinds of real-looking PII in a value of a column of `kind` (None: a column that
    is not registered, checked by shape only)."""
    found = set(text_findings(value))
    if kind is Kind.PHONE:
        fictional = fictional_digits("".join(_DIGITS.findall(value)))
        if fictional is False:
            found.add(PHONE)
    elif kind is Kind.EXTERNAL_ID and value.strip() and not value.startswith(SYNTHETIC_ID_PREFIXES):
        found.add(EXTERNAL_ID)
    return frozenset(found)
