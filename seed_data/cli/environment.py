"""`python -m seed_data stamp-environment ENV`: deliberately change which environment a
database says it is (table seed_environment). A stamp made here counts as stated, which
`mask` requires."""

import argparse
from typing import Any

from seed_data import environment
from seed_data.cli.common import EXIT_OK, add_database_url, guarded, require_terp_database, target
from seed_data.database import connect, create_engine
from seed_data.errors import SeedError
from seed_data.redaction import redact_url
from seed_data.settings import ENVIRONMENTS, parse_name

NAME = "stamp-environment"
DESCRIPTION = """\
Change the environment a database is stamped with. The schema branch stamps it once, on
its first upgrade; the stamp then outranks SEED_ENV when it is stricter, so a production
database stays production whatever a caller's variables say. This is the only other way
to change it, and moving a database out of production needs its name typed out.

example (after restoring a masked production copy into staging):
  python -m seed_data stamp-environment staging --confirm-database terp_staging
"""


def register(subcommands: "argparse._SubParsersAction[Any]") -> None:
    command = subcommands.add_parser(
        NAME,
        help="change the environment a database is stamped with",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument(
        "environment", metavar="ENV", help=f"one of {', '.join(ENVIRONMENTS)} (any case)"
    )
    command.add_argument(
        "--confirm-database",
        metavar="NAME",
        help="the database's name; required to move a database out of production",
    )
    add_database_url(command)
    command.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    return guarded(NAME, lambda: _stamp(arguments))


def _stamp(arguments: argparse.Namespace) -> int:
    wanted = parse_name("ENV", arguments.environment, ENVIRONMENTS, "an environment")
    _, url = target(arguments)
    with connect(create_engine(url)) as connection:
        database = str(connection.exec_driver_sql("select current_database()").scalar())
        require_terp_database(connection, url)
        # a database the app built (not the schema branch) gets the stamp table here
        environment.ensure_stamp_table(connection)
        before = environment.stamped_environment(connection)
        leaving_production = before == "production" != wanted
        if leaving_production and arguments.confirm_database != database:
            raise SeedError(
                f"database {database!r} is stamped production: to change that, repeat "
                f"with --confirm-database {database}"
            )
        environment.stamp(connection, wanted, "stamp-environment")
        connection.commit()
    print(f"{NAME}: {redact_url(url)}: {before or 'unstamped'} -> {wanted}")
    return EXIT_OK
