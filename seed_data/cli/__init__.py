"""The `python -m seed_data` command line: one subcommand per module in this package,
each registering its parser and returning an exit code (0 fine, 1 found problems, 2 could
not run)."""

import argparse
from collections.abc import Sequence

from seed_data.cli import environment, validate
from seed_data.pii import cli as pii

COMMANDS = (validate, pii, environment)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m seed_data", description=__doc__)
    subcommands = root.add_subparsers(dest="command", required=True, metavar="command")
    for command in COMMANDS:
        command.register(subcommands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    exit_code: int = arguments.run(arguments)
    return exit_code
