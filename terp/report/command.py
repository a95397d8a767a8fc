"""`python -m seed_data report`: the business a TERP database holds, figure by figure,
against the targets a realistic dataset should meet; optionally as one HTML page."""

import argparse
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from seed_data.cli.common import EXIT_OK, add_database_url, guarded, require_terp_database, target
from seed_data.database import connect, create_engine
from seed_data.errors import SeedError
from seed_data.validation import existing_tables
from terp.report import figures as report_figures
from terp.report.lines import Section, sections, targets
from terp.report.page import load_renderer

NAME = "report"
DESCRIPTION = """\
Report on a TERP database, seeded or not: category mix and margins, stock on hand,
receivables and their age, payment habits, whales, the outdoor harvest, returns and
refunds, when orders are made, client concentration. Each figure is printed with its
target where it has one and whether the target is met (docs/reporting.md defines them).
Read-only. Exits 0 whenever it could report (it is a report, not a check), 2 when it
could not (no TERP tables, no connection). Prints counts and amounts, never names.

The end date defaults to the day of the latest order, so a seeded dataset reports as of
its own end; --as-of sets it (rows created after it are left out).

examples:
  python -m seed_data report
  python -m seed_data report --as-of 2025-12-31 --html report.html
"""


class CannotReport(SeedError):
    """The database lacks what the report reads, or a setting cannot be used."""


def register(subcommands: "argparse._SubParsersAction[Any]") -> None:
    command = subcommands.add_parser(
        NAME,
        help="figures and targets of a TERP database (text, or an HTML page)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_database_url(command)
    command.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="the end date, a UTC day (default: the day of the latest order)",
    )
    command.add_argument(
        "--html",
        metavar="PATH",
        type=Path,
        help="also write the report as one self-contained HTML page with charts "
        "(needs the report extra: pip install terp-seed[report])",
    )
    command.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    return guarded(NAME, lambda: _report(arguments))


def parse_day(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise CannotReport(f"--as-of {raw!r} is not a date: write it as YYYY-MM-DD") from None


def _report(arguments: argparse.Namespace) -> int:
    as_of = None if arguments.as_of is None else parse_day(arguments.as_of)
    render = None
    if arguments.html is not None:
        # Before the database is read: a missing extra should not cost a whole report.
        render = load_renderer()
    _, url = target(arguments)
    engine = create_engine(url)
    try:
        with connect(engine) as connection, connection.begin():
            connection.execute(sa.text("set transaction read only"))
            require_terp_database(connection, url)
            missing = sorted(
                set(report_figures.TABLES) - existing_tables(connection, report_figures.TABLES)
            )
            if missing:
                raise CannotReport(
                    f"the report reads TERP's tables {', '.join(report_figures.TABLES)}; "
                    f"this database lacks {', '.join(missing)} (run `alembic upgrade "
                    "schema@head` on it first)"
                )
            end, why = _end(connection, as_of)
            figures = report_figures.collect(connection, end)
    finally:
        engine.dispose()
    all_sections = list(sections(figures))
    _print(all_sections, figures, why)
    if render is not None:
        page = render(figures, all_sections, why)
        try:
            arguments.html.write_text(page, encoding="utf-8")
        except OSError as error:
            raise CannotReport(
                f"cannot write the HTML page to {arguments.html}: {error.strerror or error}"
            ) from None
        print(f"{NAME}: HTML page written to {arguments.html} ({len(page.encode()):,} bytes)")
    return EXIT_OK


def _end(connection: sa.Connection, as_of: date | None) -> tuple[date, str]:
    if as_of is not None:
        return as_of, "set with --as-of"
    latest = report_figures.latest_order_day(connection)
    if latest is None:
        return datetime.now(UTC).date(), "today: the database holds no order"
    return latest, "the day of the latest order"


def _print(all_sections: list[Section], figures: report_figures.Figures, why: str) -> None:
    print(
        f"{NAME} as of {figures.end.isoformat()} ({why}; UTC days): "
        f"{figures.confirmed_sales:,} confirmed sales, revenue ${figures.revenue:,.2f}"
    )
    for section in all_sections:
        print()
        print(section.title)
        for line in section.lines:
            print(f"  {line}")
    met, judged = targets(all_sections)
    print()
    print(f"{NAME}: {met} of {judged} targets met")
