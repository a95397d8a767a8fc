"""Progress on long runs: a bar per table when stderr is a terminal, plain periodic log
lines otherwise (Railway logs, CI), nothing at all for small tables."""

import logging
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

log = logging.getLogger(__name__)

T = TypeVar("T")
MIN_ROWS = 50_000  # below this a table takes well under a second: no progress output
LOG_EVERY_SECONDS = 10.0
CLOCK_EVERY_ROWS = 1_000


def tracked(rows: Iterable[T], label: str, total: int) -> Iterator[T]:
    if total < MIN_ROWS:
        yield from rows
    elif sys.stderr.isatty():
        yield from tqdm(rows, desc=label, total=total, unit=" rows", leave=False)
    else:
        yield from _logged(rows, label, total)


def _logged(rows: Iterable[T], label: str, total: int) -> Iterator[T]:
    started = last = time.monotonic()
    for done, row in enumerate(rows, start=1):
        yield row
        if done % CLOCK_EVERY_ROWS:  # a clock read per row adds up at millions of rows
            continue
        now = time.monotonic()
        if now - last >= LOG_EVERY_SECONDS:
            last = now
            rate = done / (now - started)
            log.info(
                "%s: %s/%s rows (%.0f %%, %.0f rows/s)",
                label,
                f"{done:,}",
                f"{total:,}",
                100 * done / total,
                rate,
            )
