"""What a run prints, and where.

- Text (the default): Alembic's own "Running upgrade ..." lines on stderr, then a short
  summary on stdout. Every line is short enough for a terminal.
- JSON (`SEED_LOG_FORMAT=json`, set by scripts/release for Railway's log search): every
  log record and every event (`seed_revision`, `seed_run`, ...) as one JSON object per
  line on stdout, with `level` and `message` fields.
- A failure is one `FAILED: ...` line on stderr in either format.

Events always go through `log_event`; the text format leaves them out (the summary says the
same in fewer words), the JSON format prints them whole."""

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TextIO, cast

import psycopg
import sqlalchemy as sa
from alembic.config import Config
from alembic.util import CommandError

from seed_data.interrupts import Interrupted, signals_interrupt
from seed_data.redaction import RedactingStream, redact

log = logging.getLogger("seed_data.events")

_EVENT = "seed_event"  # the LogRecord attribute that carries an event's fields
# Alembic's start-up chatter, said on every run: left out of the text format.
_ALEMBIC_CHATTER = ("Context impl ", "Will assume ", "Generating static SQL")

_format = "text"


def log_event(event: str, message: str = "", **fields: Any) -> None:
    """A structured event: printed whole in the JSON format, left out in the text one."""
    log.info("%s", message or event, extra={_EVENT: {"event": event, **fields}})


class _TextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, _EVENT):
            return False
        return not (
            record.name.startswith("alembic") and record.getMessage().startswith(_ALEMBIC_CHATTER)
        )


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, _EVENT, None) or {"event": "log", "logger": record.name}
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "message": record.getMessage(),
            **fields,
        }
        return json.dumps(payload, default=str, sort_keys=True)


def configure_standalone(log_format: str) -> None:
    """`python -m seed_data`: the same two formats, without Alembic's ini file."""
    root = logging.getLogger()
    if not any(getattr(handler, "seed_data", False) for handler in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-5.5s [%(name)s] %(message)s"))
        handler.seed_data = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    logging.getLogger("seed_data").setLevel(logging.INFO)
    configure(log_format)


def configure(log_format: str, quiet: bool = False) -> None:
    """Apply the format to the handlers Alembic's ini file installed on the root logger."""
    global _format
    _format = log_format
    root = logging.getLogger()
    if log_format == "json":
        for handler in list(root.handlers):
            root.removeHandler(handler)
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    else:
        for handler in root.handlers:
            handler.addFilter(_TextFilter())
    if quiet:  # alembic -q: warnings and failures only
        for name in ("alembic", "seed_data"):
            logging.getLogger(name).setLevel(logging.WARNING)


def say(text: str, event: str = "message", **fields: Any) -> None:
    """A line for the person running the command: stdout in text, an event in JSON."""
    if _format == "json":
        log_event(event, text, **fields)
    else:
        print(text, flush=True)


def one_line(message: str) -> str:
    return " ".join(message.split())


def failed(message: str) -> None:
    print(f"FAILED: {redact(one_line(message))}", file=sys.stderr, flush=True)


@contextmanager
def redacted_output() -> Iterator[None]:
    """Everything printed inside goes through seed_data.redaction."""
    streams = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, RedactingStream(sys.stdout))
    sys.stderr = cast(TextIO, RedactingStream(sys.stderr))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams


def invoked_from_command_line(config: Config) -> bool:
    """The `alembic` command line always parses --raiseerr; Alembic's Python API (a
    test, pytest-alembic) passes no such options and wants exceptions as they are."""
    return getattr(config.cmd_opts, "raiseerr", None) is False


def database_error(error: BaseException) -> str:
    """The driver's first line: the lines after it (DETAIL) may quote values."""
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return f"{type(original).__name__}: {lines[0] if lines else 'no message'}"


def run_as_command(
    config: Config, main: Callable[[], None], after_interrupt: Callable[[], str]
) -> None:
    """Run env.py's work. From the command line, a failure ends as one `FAILED:` line on
    stderr and exit code 1 (Alembic itself would wrap long lines on a terminal and print
    on stdout), and SIGINT/SIGTERM as one line and 130/143. `after_interrupt` says what
    an interrupted run left behind."""
    if not invoked_from_command_line(config):
        main()
        return
    # Alembic's own printer (alembic current -v) writes to the stream it was built with
    config.stdout = cast(TextIO, RedactingStream(config.stdout))
    try:
        with redacted_output(), signals_interrupt():
            main()
    except Interrupted as stop:
        failed(f"interrupted by {stop.name}: {after_interrupt()}")
        raise SystemExit(stop.exit_code) from None
    except CommandError as error:
        failed(str(error))
        raise SystemExit(1) from None
    except (sa.exc.DBAPIError, psycopg.Error) as error:
        failed(
            f"database error: {database_error(error)}. The revision in flight was rolled "
            "back; revisions that finished before it stay committed (`alembic current`)."
        )
        raise SystemExit(1) from None
