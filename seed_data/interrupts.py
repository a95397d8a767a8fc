"""Ctrl-C (SIGINT) and SIGTERM (how Railway and most supervisors stop a process) end a
run the same way: an `Interrupted` exception unwinds it, so the revision in flight rolls
back, the audit row says `interrupted`, the lock is released, and the command ends with one
line and exit code 128 + the signal's number (130, 143).

`Interrupted` is a KeyboardInterrupt, so psycopg cancels a running query on the server as
it does for Ctrl-C. A second signal while the run unwinds ends the process at once; the
server then rolls back whatever was still open."""

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _exit_now(signum: int, frame: FrameType | None) -> None:
    os._exit(128 + signum)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    for other in SIGNALS:
        signal.signal(other, _exit_now)
    raise Interrupted(signum)


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` inside the block (main thread only)."""
    previous = {signum: signal.signal(signum, _interrupt) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
