"""How the engine describes personal data: the kinds of PII a column may hold, how
sensitive it is, and one registered column (`PiiColumn`). The app declares its columns in
its project (seed_data.project); generation (`seed_data.pii.guard`), masking
(`seed_data.pii.mask`), scanning (`seed_data.pii.scanner`) and the inventory
(`seed_data.pii.inventory`) read them from there.

The seeding system's own bookkeeping tables are declared here: they are neither masked
nor scanned."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a column holds; decides how it is generated, masked and scanned."""

    PERSON_NAME = "person name"
    COMPANY_NAME = "company name"
    EMAIL = "e-mail"
    PHONE = "phone"
    STREET_ADDRESS = "street address"
    FREE_TEXT = "free text"
    EXTERNAL_ID = "external id"


class Sensitivity(StrEnum):
    DIRECT = "direct identifier"  # names, reaches or logs in a person on its own
    INDIRECT = "indirect identifier"  # identifies a person with other data
    UNSTRUCTURED = "free text"  # may hold any of the above, or anything else


@dataclass(frozen=True)
class PiiColumn:
    table: str
    column: str
    kind: Kind
    sensitivity: Sensitivity
    unique: bool = False  # the schema has a UNIQUE constraint on it
    holds: str = ""  # what the column holds in the app, for the inventory

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"


# The seeding system's own bookkeeping, with the columns it gives each table: neither
# masked nor scanned. `seed_runs.who` holds the operating system user and host of whoever
# ran a command (audit data about staff, kept for accountability); `seed_ledger` and
# `seed_environment` hold no personal data.
BOOKKEEPING: dict[str, frozenset[str]] = {
    "alembic_version": frozenset({"version_num"}),
    "seed_ledger": frozenset(
        {
            "id",
            "revision",
            "table_name",
            "position",
            "id_ranges",
            "row_count",
            "profile",
            "random_seed",
            "package_versions",
            "created_at",
        }
    ),
    "seed_runs": frozenset(
        {
            "id",
            "started_at",
            "finished_at",
            "who",
            "pid",
            "application",
            "command",
            "environment",
            "database",
            "direction",
            "target",
            "profile",
            "random_seed",
            "revisions",
            "duration_seconds",
            "outcome",
            "error",
            "database_user",
            "client_address",
            "application_name",
            "backup",
        }
    ),
    "seed_environment": frozenset({"id", "environment", "stamped_at", "stamped_by", "source"}),
    "seed_ledger_changes": frozenset(
        {
            "id",
            "revision",
            "table_name",
            "column_name",
            "kind",
            "row_ids",
            "amounts",
            "old_values",
            "new_values",
            "created_at",
        }
    ),
}
BOOKKEEPING_TABLES = tuple(BOOKKEEPING)


def is_bookkeeping(table: str, columns: Iterable[str]) -> bool:
    """Whether a table of the current schema named `table`, with these columns, is one of
    the seeding system's own: by its exact name and by having every column the seeding
    system gives it, never by a prefix (a `seed_contacts` table is anybody's data). Only
    the columns in BOOKKEEPING are ours; a column someone added to such a table is not."""
    expected = BOOKKEEPING.get(table)
    return expected is not None and expected <= set(columns)
