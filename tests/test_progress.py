"""Progress output: bars on a terminal, periodic log lines elsewhere, silence when small."""

import io
import logging

import pytest

from seed_data import progress


def test_small_tables_are_silent(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="seed_data.progress")
    assert list(progress.tracked(range(10), "seed_0002 users", 10)) == list(range(10))
    assert caplog.records == []


def test_logs_periodically_when_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="seed_data.progress")
    monkeypatch.setattr(progress, "MIN_ROWS", 5)
    monkeypatch.setattr(progress, "LOG_EVERY_SECONDS", 0.0)
    monkeypatch.setattr(progress, "CLOCK_EVERY_ROWS", 2)
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert list(progress.tracked(range(6), "seed_0007 orders", 6)) == list(range(6))
    messages = [record.getMessage() for record in caplog.records]
    assert messages and messages[-1].startswith("seed_0007 orders: 6/6 rows (100 %")


def test_draws_a_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(progress, "MIN_ROWS", 5)
    monkeypatch.setattr("sys.stderr", terminal)
    assert list(progress.tracked(range(6), "seed_0007 orders", 6)) == list(range(6))
    assert "seed_0007 orders" in terminal.getvalue()
