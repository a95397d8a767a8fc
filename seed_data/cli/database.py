"""Which database a command works on: --database-url, else DATABASE_URL (environment or
.env), else the embedded PostgreSQL, exactly as the Alembic commands resolve it."""

from sqlalchemy.engine import URL

from seed_data.database import embedded_database_url, parse_database_url
from seed_data.settings import PROJECT_ROOT, load_environment


def resolve_url(given: str | None) -> URL:
    raw = given or load_environment().get("DATABASE_URL", "").strip()
    return parse_database_url(raw) if raw else embedded_database_url(PROJECT_ROOT)
