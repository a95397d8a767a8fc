"""Every column of TERP's schema that holds personal data, declared once.

Generation (`seed_data.pii.guard` checks what seed revisions write), masking
(`seed_data.pii.mask` rewrites exactly these columns), scanning (`seed_data.pii.scanner`
applies each kind's checks) and docs/pii-inventory.md (`seed_data.pii.inventory`) all
read this list. The list is TERP's own list of PII columns (docs/data-model.md): names, e-mail
addresses, phone numbers and addresses of clients, vendor contacts and users, users'
login ids, and every free-text `notes` column. A new PII column is one more line here;
a test fails if a `notes` column of the schema is missing, if a declared column does not
exist, or if `unique` disagrees with the schema's constraints."""

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
    holds: str = ""  # what the column holds in TERP, for the inventory

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"


_NOTES = "free-text notes staff type in; may hold names, phone numbers, anything"

REGISTRY: tuple[PiiColumn, ...] = (
    PiiColumn("users", "name", Kind.PERSON_NAME, Sensitivity.DIRECT, holds="a staff member's name"),
    PiiColumn(
        "users", "email", Kind.EMAIL, Sensitivity.DIRECT, holds="a staff member's login e-mail"
    ),
    PiiColumn(
        "users",
        "open_id",
        Kind.EXTERNAL_ID,
        Sensitivity.DIRECT,
        unique=True,
        holds="the identity provider's account id of a staff member",
    ),
    PiiColumn(
        "vendors",
        "contact_name",
        Kind.PERSON_NAME,
        Sensitivity.DIRECT,
        holds="the cultivator's contact person",
    ),
    PiiColumn(
        "vendors",
        "contact_email",
        Kind.EMAIL,
        Sensitivity.DIRECT,
        holds="the contact person's e-mail",
    ),
    PiiColumn(
        "vendors",
        "contact_phone",
        Kind.PHONE,
        Sensitivity.DIRECT,
        holds="the contact person's phone",
    ),
    PiiColumn("vendors", "notes", Kind.FREE_TEXT, Sensitivity.UNSTRUCTURED, holds=_NOTES),
    PiiColumn(
        "clients",
        "name",
        Kind.COMPANY_NAME,
        Sensitivity.INDIRECT,
        holds="the dispensary's or retailer's name; a sole trader's name is a person's",
    ),
    PiiColumn(
        "clients", "email", Kind.EMAIL, Sensitivity.DIRECT, holds="the client's contact e-mail"
    ),
    PiiColumn(
        "clients", "phone", Kind.PHONE, Sensitivity.DIRECT, holds="the client's contact phone"
    ),
    PiiColumn(
        "clients",
        "address",
        Kind.STREET_ADDRESS,
        Sensitivity.INDIRECT,
        holds="the client's street address; a sole trader's may be a home",
    ),
    PiiColumn("lots", "notes", Kind.FREE_TEXT, Sensitivity.UNSTRUCTURED, holds=_NOTES),
    PiiColumn("orders", "notes", Kind.FREE_TEXT, Sensitivity.UNSTRUCTURED, holds=_NOTES),
    PiiColumn("invoices", "notes", Kind.FREE_TEXT, Sensitivity.UNSTRUCTURED, holds=_NOTES),
    PiiColumn("payments", "notes", Kind.FREE_TEXT, Sensitivity.UNSTRUCTURED, holds=_NOTES),
    PiiColumn(
        "inventory_movements", "notes", Kind.FREE_TEXT, Sensitivity.UNSTRUCTURED, holds=_NOTES
    ),
)

BY_NAME: dict[tuple[str, str], PiiColumn] = {(c.table, c.column): c for c in REGISTRY}

# Columns that look personal but are deliberately not registered, with the reason; the
# inventory lists them so a reviewer sees the decision instead of guessing.
NOT_REGISTERED: tuple[tuple[str, str], ...] = (
    (
        "vendors.name",
        "a cultivator's business name, shown on lots and products; not in TERP's own PII "
        "list. If a vendor trades under a person's name, register it as a company name.",
    ),
    ("clients.teri_code", "TERP's own account code (WHL0001, REG0001): no personal meaning."),
    (
        "brands.description, invoice_line_items.description, products.name_canonical",
        "catalog text; scanned by shape like every other text column, not masked.",
    ),
)

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


def tables() -> tuple[str, ...]:
    """Registered tables, in registry order, each once."""
    return tuple(dict.fromkeys(column.table for column in REGISTRY))


def columns_of(table: str) -> tuple[PiiColumn, ...]:
    return tuple(column for column in REGISTRY if column.table == table)
