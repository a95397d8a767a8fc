"""`python -m seed_data COMMAND`: the tools around the seed data that are not migrations.

Each command module registers its subcommand and returns an exit code: 0 fine, 1 found
problems (validate, scan, mask), 2 could not run (one `FAILED:` line on stderr)."""

import argparse
from collections.abc import Sequence

from seed_data import project
from seed_data.cli import environment, pii, restore, server, snapshot, validate
from seed_data.errors import SeedError
from seed_data.output import configure_standalone, redacted_output
from seed_data.settings import load_environment, readable_log_format

DESCRIPTION = """\
Tools for a {app} database beside the Alembic migrations. Each command works on
DATABASE_URL (or --database-url), else the embedded PostgreSQL in .pgdata/, and exits
0 when all is well, 1 when it found problems, 2 when it could not run.

examples:
  python -m seed_data validate                  check the integrity rules
  python -m seed_data scan                      look for real-looking personal data
  python -m seed_data mask                      mask a copied database in place
  python -m seed_data stamp-environment staging --confirm-database terp_staging
  python -m seed_data report --html report.html   figures against their targets
  python -m seed_data restore PATH              put back what a seed downgrade deleted
  python -m seed_data snapshot save NAME        a file-level copy of a development database
  python -m seed_data embedded stop            stop the embedded PostgreSQL
  python -m seed_data COMMAND --help            more about one command
"""

COMMANDS = (validate, pii, environment, restore, snapshot, server)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m seed_data",
        description=DESCRIPTION.format(app=project.current().name),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    subcommands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in (*COMMANDS, *project.current().commands):
        command.register(subcommands)
    return root


def log_format() -> str:
    """SEED_LOG_FORMAT, as the commands will resolve it; text when it cannot be read (the
    command then says why in its FAILED line)."""
    try:
        return readable_log_format(load_environment())
    except SeedError:  # an unreadable .env: the command's own FAILED line says so
        return "text"


def main(argv: Sequence[str] | None = None) -> int:
    with redacted_output():
        arguments = parser().parse_args(argv)
        configure_standalone(log_format())
        exit_code: int = arguments.run(arguments)
    return exit_code
