"""The PII commands. `register(subparsers)` adds `mask` and `scan` to any argparse
subparsers object (seed_data's own command line); `main(argv)` runs them standalone,
with `inventory` besides: `python -m seed_data.pii mask|scan|inventory`.

Each subcommand sets `func`, which takes the parsed arguments and returns the exit code:
scan 0 clean, 1 suspicious values found; mask 0 masked and the scan afterwards is clean,
1 masked but the scan still finds real-looking values (in columns that are not
registered); 2 for a refusal or an error, printed as one `FAILED: ...` line on stderr
that never holds a password, a key or a value."""

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.database import connect, create_engine, embedded_database_url, parse_database_url
from seed_data.errors import ConfigurationError, SeedError
from seed_data.locking import seeding_lock
from seed_data.pii import inventory, mask, scanner
from seed_data.settings import PROJECT_ROOT, Settings, load_environment, resolve_settings

EXIT_CLEAN, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
URL_HELP = (
    "target database (default: DATABASE_URL, else the embedded PostgreSQL); prefer "
    "DATABASE_URL, which other users of this machine cannot read in the process list"
)


def echo(line: str) -> None:
    print(line, flush=True)


def fail(message: str) -> int:
    print(f"FAILED: {message}", file=sys.stderr, flush=True)
    return EXIT_ERROR


def _positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a positive integer")
    return value


def resolve(database_url: str | None, env: Mapping[str, str]) -> tuple[Settings, URL]:
    """Settings as every command resolves them; --database-url beats DATABASE_URL."""
    if database_url is not None:
        env = {name: value for name, value in env.items() if name != "DATABASE_URL"}
    settings = resolve_settings({}, env)
    if database_url is not None:
        try:
            url = parse_database_url(database_url)
        except ConfigurationError as error:
            raise ConfigurationError(str(error).replace("DATABASE_URL", "--database-url")) from None
    else:
        url = settings.database_url or embedded_database_url(PROJECT_ROOT)
    return settings, url


def _database_error(error: BaseException) -> str:
    """A driver error without its message: messages and DETAIL lines can quote values."""
    original = getattr(error, "orig", None) or error
    name = type(original).__name__
    diag = getattr(original, "diag", None)
    parts = [f"SQLSTATE {getattr(original, 'sqlstate', None) or '?'}"]
    for label in ("table_name", "column_name", "constraint_name"):
        value = getattr(diag, label, None) if diag is not None else None
        if value:
            parts.append(f"{label.removesuffix('_name')} {value}")
    return f"{name} ({', '.join(parts)})"


def guarded(action: str, body: Callable[[], int]) -> int:
    try:
        return body()
    except SeedError as error:
        return fail(str(error))
    except (psycopg.Error, sa.exc.DBAPIError) as error:
        after = " Nothing was masked: the run is one transaction." if action == "mask" else ""
        return fail(f"{action} failed with a database error: {_database_error(error)}.{after}")


def run_scan(args: argparse.Namespace) -> int:
    def body() -> int:
        _, url = resolve(args.database_url, load_environment())
        engine = create_engine(url)
        try:
            with connect(engine) as connection:
                report = scanner.scan(connection)
        finally:
            engine.dispose()
        for line in report.lines():
            echo(line)
        return EXIT_FOUND if report.findings else EXIT_CLEAN

    return guarded("scan", body)


def run_mask(args: argparse.Namespace) -> int:
    def body() -> int:
        env = load_environment()
        settings, url = resolve(args.database_url, env)
        engine = create_engine(url)
        try:
            with connect(engine) as connection, seeding_lock(connection, settings.lock_timeout):
                report = mask.mask_database(connection, settings, env, args.batch_size, echo)
                for line in mask.summary(report):
                    echo(line)
                after = scanner.scan(connection)
        finally:
            engine.dispose()
        for line in after.lines():
            echo(line)
        if after.findings:
            echo(
                "mask: the registered columns are masked, but the scan still finds "
                "real-looking values in the columns above: clean or register them"
            )
            return EXIT_FOUND
        return EXIT_CLEAN

    return guarded("mask", body)


def run_inventory(args: argparse.Namespace) -> int:
    sys.stdout.write(inventory.render())
    return EXIT_CLEAN


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `mask` and `scan` to an argparse subparsers object (add_subparsers())."""
    masking = subparsers.add_parser(
        "mask",
        help="mask every registered PII column of a copied database, in place",
        description=(
            "Rewrite every registered PII column with keyed fakes (SEED_MASKING_KEY), in "
            "batches, in one transaction, inside the seeding lock. Refuses a production "
            "database. Cannot be undone. Prints counts, never values."
        ),
    )
    masking.add_argument("--database-url", help=URL_HELP)
    masking.add_argument(
        "--batch-size",
        type=_positive,
        default=mask.DEFAULT_BATCH_SIZE,
        help=f"rows read and written per statement (default {mask.DEFAULT_BATCH_SIZE})",
    )
    masking.set_defaults(run=run_mask)
    scanning = subparsers.add_parser(
        "scan",
        help="count real-looking PII in every text column (exit 1 when any)",
        description=(
            "Check every registered PII column by its kind and every other text column by "
            "shape for real-looking e-mail addresses, phone numbers, card and social "
            "security numbers, and public IP addresses. Prints counts per column, never "
            "values; exits 1 when it finds any, 0 when clean, 2 on error."
        ),
    )
    scanning.add_argument("--database-url", help=URL_HELP)
    scanning.set_defaults(run=run_scan)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed_data.pii", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    register(subparsers)
    subparsers.add_parser(
        "inventory", help="print docs/pii-inventory.md, rendered from the registry"
    ).set_defaults(run=run_inventory)
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result
