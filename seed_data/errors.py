"""Expected failures. Each is a CommandError, so the Alembic CLI prints one
`FAILED: <message>` line and exits non-zero, with no traceback."""

from alembic.util import CommandError


class SeedError(CommandError):
    """An expected failure whose message says what is wrong and what to do."""


class ConfigurationError(SeedError):
    """A setting (env var, .env entry or -x option) has a value we cannot use."""


class DatabaseUnavailable(SeedError):
    """The database could not be reached or is not a PostgreSQL we can use."""


class LockTimeout(SeedError):
    """Another run held the seeding lock for longer than SEED_LOCK_TIMEOUT."""


class Refusal(SeedError):
    """A deliberate "no" before anything is written: production gate, drift, references."""


class DowngradeRefused(Refusal):
    """Rows made outside seeding reference rows a downgrade would delete."""


class SeedIntegrityError(SeedError):
    """Generated rows broke a rule; the revision is rolled back."""
