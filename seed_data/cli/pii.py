"""`python -m seed_data mask | scan | pii-inventory`: the PII commands. They print counts,
never values, and a failure is one `FAILED:` line that never holds a password, a key or a
value."""

import argparse
import sys
from typing import Any

import psycopg
import sqlalchemy as sa

from seed_data.cli.common import (
    EXIT_FOUND,
    EXIT_OK,
    add_database_url,
    fail,
    guarded,
    require_terp_database,
    target,
)
from seed_data.database import connect, create_engine
from seed_data.errors import SeedError
from seed_data.output import say
from seed_data.pii import inventory, mask, scanner
from seed_data.settings import load_environment

MASK_DESCRIPTION = """\
Mask a copied database in place: rewrite every registered PII column
(seed_data/pii/registry.py) with keyed fakes chosen by SEED_MASKING_KEY, consistently
across tables, in batches, in one transaction, inside the seeding lock, then scan the
result. Needs the database's name typed out (--confirm-database, or SEED_CONFIRM), and
refuses a database whose environment is production or was never stated (stamp it with
stamp-environment first). Cannot be undone. Prints counts, never values.
Exits 0 when the scan afterwards is clean, 1 when it still finds real-looking values in
columns that are not registered, 2 when it refused or failed (nothing was changed).

example (a restored production copy):
  python -m seed_data stamp-environment staging --confirm-database terp_copy \
      --database-url postgresql://.../terp_copy
  SEED_MASKING_KEY=... python -m seed_data mask --confirm-database terp_copy \
      --database-url postgresql://.../terp_copy
"""

SCAN_DESCRIPTION = """\
Look for real-looking personal data: every registered PII column by its kind, and every
other column that can hold text (text, JSON, XML, inet, bytea; tables and materialized
views) by shape: e-mail addresses, phone numbers, card and social security numbers,
public IPv4 and IPv6 addresses, also inside JSON and escapes. Read-only. Prints counts per
column, never values, and a warning for what it cannot see (row-level security, columns
it may not read). Exits 0 when clean, 1 when it found any, 2 when it could not scan
(a column that failed is named with its error type).

example:
  python -m seed_data scan --database-url postgresql://user@host:5432/terp
"""

INVENTORY_DESCRIPTION = """\
Print the PII inventory as Markdown: every registered column, its kind, how seeding
generates it and how masking rewrites it (a test fails when docs/ holds a stale copy).

example:
  python -m seed_data pii-inventory > docs/pii-inventory.md
"""


def _positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= mask.MAX_BATCH_SIZE:
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not a whole number from 1 to {mask.MAX_BATCH_SIZE:,}"
        )
    return value


def echo(line: str) -> None:
    say(line, event="seed_mask_message")


def run_scan(arguments: argparse.Namespace) -> int:
    def body() -> int:
        _, url = target(arguments)
        engine = create_engine(url)
        try:
            with connect(engine) as connection:
                require_terp_database(connection, url)
                report = scanner.scan(connection)
        except (SeedError, psycopg.Error, sa.exc.DBAPIError):
            raise  # guarded prints them in one line
        except Exception as error:
            # A bug, not a finding: exit 2, and the type only (its message may quote a value).
            return fail(
                f"scan failed with an internal error ({type(error).__name__}); no value is shown"
            )
        finally:
            engine.dispose()
        for line in report.lines():
            echo(line)
        if report.failures:
            return fail(report.failure_message())
        return EXIT_FOUND if report.findings else EXIT_OK

    return guarded("scan", body)


def run_mask(arguments: argparse.Namespace) -> int:
    def body() -> int:
        settings, url = target(arguments)
        env = load_environment()
        engine = create_engine(url)
        try:
            with connect(engine) as connection:
                require_terp_database(connection, url)
                report = mask.mask_database(
                    connection,
                    settings,
                    env,
                    arguments.batch_size,
                    echo,
                    confirmed=arguments.confirm_database,
                )
                for line in mask.summary(report):
                    echo(line)
                try:
                    after = scanner.scan(connection)
                except Exception as error:  # the masking is committed: say so, not "nothing"
                    return fail(
                        f"mask committed, but the scan afterwards could not run "
                        f"({type(error).__name__}): run `python -m seed_data scan` on it"
                    )
        finally:
            engine.dispose()
        for line in after.lines():
            echo(line)
        if after.failures:  # masked and committed; part of the check after it failed
            return fail(f"mask committed, but {after.failure_message()}")
        if after.findings:
            echo(
                "mask: the registered columns are masked, but the scan still finds "
                "real-looking values in the columns above: clean or register them"
            )
            return EXIT_FOUND
        return EXIT_OK

    return guarded("mask", body, " Nothing was masked: the run is one transaction.")


def run_inventory(arguments: argparse.Namespace) -> int:
    sys.stdout.write(inventory.render())
    return EXIT_OK


def register(subcommands: "argparse._SubParsersAction[Any]") -> None:
    masking = subcommands.add_parser(
        "mask",
        help="mask every registered PII column of a copied database, in place",
        description=MASK_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_database_url(masking)
    masking.add_argument(
        "--confirm-database",
        metavar="NAME",
        help="the database's name, typed out: mask refuses without it (or SEED_CONFIRM=NAME)",
    )
    masking.add_argument(
        "--batch-size",
        type=_positive,
        default=mask.DEFAULT_BATCH_SIZE,
        metavar="N",
        help=f"rows read and written per statement (default {mask.DEFAULT_BATCH_SIZE:,})",
    )
    masking.set_defaults(run=run_mask)

    scanning = subcommands.add_parser(
        "scan",
        help="count real-looking PII in every text column (exit 1 when any)",
        description=SCAN_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_database_url(scanning)
    scanning.set_defaults(run=run_scan)

    subcommands.add_parser(
        "pii-inventory",
        help="print docs/pii-inventory.md, rendered from the PII registry",
        description=INVENTORY_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    ).set_defaults(run=run_inventory)
