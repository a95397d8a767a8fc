"""docs/pii-inventory.md, rendered from the project's PII registry and the descriptions
beside the code
that generates, masks and scans each kind. A test fails when the committed file differs:
regenerate it with `python -m seed_data pii-inventory > docs/pii-inventory.md`."""

from seed_data import project
from seed_data.pii.masking import DESCRIPTIONS, Strategy
from seed_data.pii.registry import BOOKKEEPING_TABLES, Kind
from seed_data.pii.shapes import CHECKS

COMMAND = "python -m seed_data pii-inventory > docs/pii-inventory.md"


def _row(*cells: str) -> str:
    # "<word>" would be an HTML tag to a Markdown renderer: escape it.
    escaped = (cell.replace("|", "\\|").replace("<", "\\<") for cell in cells)
    return "| " + " | ".join(escaped) + " |"


def render() -> str:
    described = project.current()
    lines = [
        "# PII inventory",
        "",
        f"Generated from the {described.name} project's PII registry by `{COMMAND}`; do not "
        "edit by hand "
        "(a test fails when this file is stale). docs/compliance.md explains what the "
        "system guarantees and what it does not.",
        "",
        "## Columns",
        "",
        "Seeding generates these columns synthetically (reserved e-mail domains, fictional "
        "phone numbers, word lists), and refuses to write a value that looks real; "
        "`python -m seed_data mask` rewrites every one of them that exists in a database; "
        "`python -m seed_data scan` applies each kind's checks to them and shape checks "
        "to every other text column.",
        "",
        _row("column", "kind", "sensitivity", "unique", f"holds in {described.name}"),
        _row("---", "---", "---", "---", "---"),
    ]
    lines += [
        _row(
            f"`{column.name}`",
            column.kind.value,
            column.sensitivity.value,
            "yes" if column.unique else "no",
            column.holds,
        )
        for column in described.pii_columns
    ]
    lines += [
        "",
        "## Per kind",
        "",
        _row(
            "kind",
            "generated as (seeding)",
            "masked as (development, test: full)",
            "masked as (staging: pattern-preserving)",
            "scanner check",
        ),
        _row("---", "---", "---", "---", "---"),
    ]
    lines += [
        _row(
            kind.value,
            described.pii_generated[kind],
            DESCRIPTIONS[kind, Strategy.FULL],
            DESCRIPTIONS[kind, Strategy.PATTERN],
            CHECKS[kind],
        )
        for kind in Kind
        if any(column.kind is kind for column in described.pii_columns)
    ]
    lines += [
        "",
        "Production is never masked (the command refuses it). Its reference data comes "
        "from the schema branch; the seed branch's mock customers "
        "are refused there unless SEED_ALLOW_PRODUCTION names the database, and are "
        "synthetic even then. In every environment NULL stays NULL and a blank value stays "
        "blank.",
        "",
        "## Deliberately not registered",
        "",
        _row("column", "why"),
        _row("---", "---"),
    ]
    lines += [_row(f"`{name}`", reason) for name, reason in described.pii_not_registered]
    lines += [
        "",
        "## Bookkeeping tables (neither masked nor scanned)",
        "",
        ", ".join(f"`{table}`" for table in BOOKKEEPING_TABLES)
        + ". `seed_runs.who` records the operating-system user and host of whoever ran a "
        "seed or mask command: personal data about staff, kept for the audit trail "
        "(retention: docs/compliance.md). The others hold no personal data.",
        "",
    ]
    return "\n".join(lines)
