"""`python -m seed_data embedded stop|delete`: the embedded PostgreSQL in .pgdata/, which
every command starts when DATABASE_URL is unset and leaves running for the next one."""

import argparse
from typing import Any

from seed_data.cli.common import EXIT_OK, guarded
from seed_data.embedded import EMBEDDED_DIRECTORY, stop_embedded
from seed_data.settings import PROJECT_ROOT

NAME = "embedded"
DESCRIPTION = f"""\
Stop the embedded PostgreSQL that commands start in {EMBEDDED_DIRECTORY}/ when DATABASE_URL
is unset (it keeps running between commands, so the next one starts at once), and
optionally delete its data. Touches no other server.

examples:
  python -m seed_data embedded stop      stop it; the data stays   (make stop-db)
  python -m seed_data embedded delete    stop it and delete {EMBEDDED_DIRECTORY}/   (make clean-db)
"""


def register(subcommands: "argparse._SubParsersAction[Any]") -> None:
    command = subcommands.add_parser(
        NAME,
        help=f"stop the embedded PostgreSQL in {EMBEDDED_DIRECTORY}/ (and delete its data)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("action", choices=("stop", "delete"))
    command.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    def body() -> int:
        print(stop_embedded(PROJECT_ROOT, delete=arguments.action == "delete"))
        return EXIT_OK

    return guarded(NAME, body)
