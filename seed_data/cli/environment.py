"""`python -m seed_data stamp-environment ENV`: deliberately change which environment a
database says it is (table seed_environment). The schema branch stamps it once; this is
the only other way, and leaving production needs the database's name typed out."""

import argparse
from typing import Any

from seed_data import environment
from seed_data.cli.database import resolve_url
from seed_data.database import connect, create_engine, redact
from seed_data.errors import SeedError
from seed_data.settings import ENVIRONMENTS

NAME = "stamp-environment"


def register(subcommands: "argparse._SubParsersAction[Any]") -> None:
    command = subcommands.add_parser(
        NAME, help="change the environment a database is stamped with", description=__doc__
    )
    command.add_argument("environment", choices=ENVIRONMENTS)
    command.add_argument(
        "--confirm-database",
        metavar="NAME",
        help="the database's name; required to move a database out of production",
    )
    command.add_argument("--database-url", help="default: DATABASE_URL, else the embedded one")
    command.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    try:
        url = resolve_url(arguments.database_url)
        with connect(create_engine(url)) as connection:
            database = str(connection.exec_driver_sql("select current_database()").scalar())
            if not _has_table(connection):
                raise SeedError(
                    "this database has no seed_environment table: run "
                    "`alembic upgrade schema@head` first"
                )
            before = environment.stamped_environment(connection)
            leaving_production = before == "production" != arguments.environment
            if leaving_production and arguments.confirm_database != database:
                raise SeedError(
                    f"database {database!r} is stamped production: to change that, repeat "
                    f"with --confirm-database {database}"
                )
            environment.stamp(connection, arguments.environment)
            connection.commit()
    except SeedError as error:
        print(f"{NAME}: FAILED: {error}")
        return 2
    print(f"{NAME}: {redact(url)}: {before or 'unstamped'} -> {arguments.environment}")
    return 0


def _has_table(connection: Any) -> bool:
    return bool(
        connection.exec_driver_sql(
            f"select to_regclass('{environment.STAMP_TABLE}') is not null"
        ).scalar()
    )
