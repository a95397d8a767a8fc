"""`python -m seed_data validate`: check the app's database against its integrity rules."""

import argparse
from typing import Any

import sqlalchemy as sa

from seed_data import project
from seed_data.cli.common import (
    EXIT_FOUND,
    EXIT_OK,
    add_database_url,
    guarded,
    require_terp_database,
    target,
)
from seed_data.database import connect, create_engine
from seed_data.ledger import exists as ledger_exists
from seed_data.validation import Scope, applicable, rules, validate

NAME = "validate"
DESCRIPTION = """\
Check a {app} database, seeded or not, against {app}'s integrity rules: its logical
references, the keys the database does not enforce, and its business rules (for TERP:
order and invoice totals, stock that equals its movements, dates in causal order).
Read-only.
Prints one line per broken rule and exits 1, or one all-clear line and exits 0.

With --seeded-only, only the rows seeding wrote are judged (seed_ledger lists them), with
the rules whose tables seeding wrote: the app's own rows are left alone.

examples:
  python -m seed_data validate --database-url postgresql://user@host:5432/terp
  python -m seed_data validate --seeded-only
"""


def register(subcommands: "argparse._SubParsersAction[Any]") -> None:
    command = subcommands.add_parser(
        NAME,
        help=f"check a {project.current().name} database against the integrity rules",
        description=DESCRIPTION.format(app=project.current().name),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_database_url(command)
    command.add_argument(
        "--seeded-only",
        action="store_true",
        help="judge only the rows seeding wrote (the ledger's), not the app's",
    )
    command.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    return guarded(NAME, lambda: _validate(arguments))


def _validate(arguments: argparse.Namespace) -> int:
    _, url = target(arguments)
    engine = create_engine(url)
    try:
        with connect(engine) as connection, connection.begin():
            connection.execute(sa.text("set transaction read only"))
            require_terp_database(connection, url)
            chosen = applicable(connection)
            if arguments.seeded_only:
                seeded = Scope.of_ledger(connection).ranges if ledger_exists(connection) else {}
                # the rules the seeded-only check runs: validation.validate's choice
                chosen = [
                    rule for rule in chosen if rule.reads <= set(seeded) and not rule.whole_database
                ]
            violations = validate(connection, seeded_only=arguments.seeded_only)
    finally:
        engine.dispose()
    for violation in violations:
        print(violation)
    skipped = len(rules()) - len(chosen)
    why = (
        "nothing seeded in their tables, or they judge the whole database"
        if arguments.seeded_only
        else "their tables do not exist"
    )
    note = f" ({skipped} skipped: {why})" if skipped else ""
    if violations:
        print(f"{NAME}: {len(violations)} of {len(chosen)} rules broken{note}")
        return EXIT_FOUND
    print(f"{NAME}: no violations in {len(chosen)} rules{note}")
    return EXIT_OK
