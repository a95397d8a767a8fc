"""Values that are synthetic by rule, whatever app is seeded: e-mail domains RFC 2606
reserves, the 555-0100..555-0199 phone lines the North American Numbering Plan keeps for
fiction, and the prefixes of login ids seeding and masking make. The scanner treats these
as harmless; a project's fakes and the masking draw only from them."""

import re

RESERVED_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
# Top-level domains reserved by RFC 2606 / RFC 6761: no mailbox there reaches anyone.
RESERVED_TOP_LEVEL_DOMAINS = ("example", "test", "invalid", "localhost")
FICTIONAL_EXCHANGE = "555"
FICTIONAL_LINES = range(100, 200)  # 555-0100 .. 555-0199
# Login ids made by seeding ("seed-<uuid>") and by masking ("masked-<uuid>").
SYNTHETIC_ID_PREFIXES = ("seed-", "masked-")

_NOT_LOCAL_PART = re.compile(r"[^a-z0-9]+")


def email_local_part(*words: str) -> str:
    """Lower-case dotted local part from words: ("Ana", "Ruiz") -> "ana.ruiz"."""
    parts = [_NOT_LOCAL_PART.sub("", word.lower()) for word in words]
    return ".".join(part for part in parts if part) or "contact"
