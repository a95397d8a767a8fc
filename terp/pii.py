"""Every column of TERP's schema that holds personal data, declared once.

Generation (`seed_data.pii.guard` checks what seed revisions write), masking
(`seed_data.pii.mask` rewrites exactly these columns), scanning (`seed_data.pii.scanner`
applies each kind's checks) and docs/pii-inventory.md (`seed_data.pii.inventory`) all
read this list, through the project (terp/project.py). It is TERP's own list of PII
columns (docs/data-model.md): names, e-mail addresses, phone numbers and addresses of
clients, vendor contacts and users, users' login ids, and every free-text `notes` column.
A new PII column is one more line here; a test fails if a `notes` column of the schema is
missing, if a declared column does not exist, or if `unique` disagrees with the schema's
constraints."""

from seed_data.pii.registry import Kind, PiiColumn, Sensitivity

_NOTES = "free-text notes staff type in; may hold names, phone numbers, anything"

PII_COLUMNS: tuple[PiiColumn, ...] = (
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
