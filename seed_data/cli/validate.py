"""`python -m seed_data validate`: check any TERP database, seeded or not, against the
integrity rules (seed_data.validation), in a read-only transaction. Prints one line per
broken rule and exits 1, or prints a one-line all-clear and exits 0; exits 2 with one
`validate: FAILED: ...` line (never a password) when it cannot run."""

import argparse
from typing import Any

import sqlalchemy as sa

from seed_data.cli.database import resolve_url
from seed_data.database import connect, create_engine, describe_failure, redact
from seed_data.errors import SeedError
from seed_data.validation import RULES, applicable, validate

NAME = "validate"


def register(subcommands: "argparse._SubParsersAction[Any]") -> None:
    command = subcommands.add_parser(
        NAME,
        help="check a TERP database against the integrity rules",
        description=__doc__,
    )
    command.add_argument(
        "--database-url",
        help="database to check (default: DATABASE_URL, else the embedded PostgreSQL)",
    )
    command.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    try:
        url = resolve_url(arguments.database_url)
    except SeedError as error:
        return failed(str(error))
    engine = create_engine(url)
    try:
        with connect(engine) as connection, connection.begin():
            connection.execute(sa.text("set transaction read only"))
            rules = applicable(connection)
            violations = validate(connection)
    except SeedError as error:
        return failed(str(error))
    except sa.exc.DBAPIError as error:
        return failed(describe_failure(error.orig or error, url))
    finally:
        engine.dispose()
    if not rules:
        return failed(
            f"no TERP tables in {redact(url)}: point --database-url or DATABASE_URL at a "
            "TERP database"
        )
    for violation in violations:
        print(violation)
    skipped = len(RULES) - len(rules)
    note = f" ({skipped} skipped: their tables do not exist)" if skipped else ""
    if violations:
        print(f"{NAME}: {len(violations)} of {len(rules)} rules broken{note}")
        return 1
    print(f"{NAME}: no violations in {len(rules)} rules{note}")
    return 0


def failed(message: str) -> int:
    print(f"{NAME}: FAILED: {message}")
    return 2
