"""Secrets never reach output. `redact(text)` hides every form of secret this process can
know of:

- the password in a URL's authority (`postgresql://user:PASSWORD@host/db`);
- `password=` and `sslpassword=` in a URL's query string or a libpq connection string;
- the values of the variables that hold secrets (`PGPASSWORD`, `PGSSLPASSWORD`,
  `SEED_MASKING_KEY`), and the passwords inside `DATABASE_URL` and `TEST_DATABASE_URL`,
  wherever they appear, quoted in an error message included.

The command lines wrap stdout and stderr in `RedactingStream`, so nothing printed by this
project, Alembic, SQLAlchemy or psycopg escapes it."""

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any, TextIO
from urllib.parse import parse_qsl, unquote, urlsplit

from sqlalchemy.engine import URL

MASK = "***"
SECRET_QUERY_KEYS = ("password", "sslpassword")
SECRET_VARIABLES = ("PGPASSWORD", "PGSSLPASSWORD", "SEED_MASKING_KEY")
URL_VARIABLES = ("DATABASE_URL", "TEST_DATABASE_URL")
MIN_SECRET_LENGTH = 3  # shorter "secrets" would blank out ordinary text

_AUTHORITY = re.compile(r"(\w[\w+.-]*://[^:/@\s]*:)([^@\s/]+)(@)")
_KEY_VALUE = re.compile(
    r"(?i)\b(" + "|".join(SECRET_QUERY_KEYS) + r")(\s*=\s*|%3D)('[^']*'|\"[^\"]*\"|[^&\s\"']+)"
)


def url_secrets(raw: str) -> list[str]:
    """The password of a URL, in the authority or the query, as written and decoded."""
    try:
        parts = urlsplit(raw.strip())
        found = [parts.password or ""]
        found += [
            value for key, value in parse_qsl(parts.query) if key.lower() in SECRET_QUERY_KEYS
        ]
    except ValueError:
        return []
    return [secret for value in found for secret in {value, unquote(value)} if secret]


def known_secrets(env: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if env is None else env
    found = [env.get(name, "") for name in SECRET_VARIABLES]
    for name in URL_VARIABLES:
        found += url_secrets(env.get(name, ""))
    # longest first, so that a secret containing another is hidden whole
    return sorted({s for s in found if len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str] = (), env: Mapping[str, str] | None = None) -> str:
    for secret in [*secrets, *known_secrets(env)]:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            text = text.replace(secret, MASK)
    text = _AUTHORITY.sub(rf"\1{MASK}\3", text)
    return _KEY_VALUE.sub(rf"\1\2{MASK}", text)


def redact_url(url: URL) -> str:
    """A database URL as a person may see it."""
    hidden = {key: MASK for key in url.query if key.lower() in SECRET_QUERY_KEYS}
    return url.update_query_dict(hidden).render_as_string(hide_password=True)


class RedactingStream:
    """A text stream that passes everything through `redact` (wraps stdout, stderr)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._secrets = known_secrets()

    def write(self, text: str) -> int:
        self._stream.write(redact(text, self._secrets, env={}))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, ...
        return getattr(self._stream, name)
