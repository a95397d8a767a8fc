"""Benchmark the PII scanner: its checks on large values, and a whole database scan.

The checks (`seed_data.pii.shapes.findings`) run on values built here, none holding
real-looking PII, so that every value is read to its end: a 1 MB note of everyday text
(codes, dates, amounts, reserved e-mail addresses, fictional phones, private addresses), 1 MB
values made of one repeated shape ("@a", digits, private IPv4 addresses, reserved e-mail
addresses, times of day), a 100 KB JSON document (order lines with reserved e-mail
addresses, and a base64 signature), and 'a' * 40000 + '@'. Each time is the
best of --repeat runs. Values this long are never cached, so every run does the whole work.

With --database-url URL it also times `scanner.scan` of that database (read-only) and prints
the report's summary: counts, never values.

Run: scripts/bench-scan [--repeat 3] [--database-url postgresql://...]"""

import argparse
import base64
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from seed_data.database import connect, create_engine, parse_database_url  # noqa: E402
from seed_data.pii import scanner, shapes  # noqa: E402

MB = 1_000_000
PHRASES = (
    "order ORD-000123 shipped on 2024-01-15.",
    "Total 1234.56, paid 99.5% by ACH-00912345.",
    "Lot LOT-00042, batch BATCH-000017: 17 units at $45.00 each.",
    "Contact ana@example.com or (415) 555-0142.",
    "Synced from 10.0.0.1 at 12:30:45.",
    "Invoice INV-2024-000981 due 01/31/2024.",
    "SKU-12-34 runs version 4.17.21.3 of the label printer.",
    "Picked up by the buyer; the driver called ahead.",
)


def note(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        parts.append(rng.choice(PHRASES))
        length += len(parts[-1]) + 1
    return " ".join(parts)[:size]


def json_document(size: int) -> str:
    """Order lines as an app would store them, and a scanned signature as base64: one long
    run of the characters an e-mail address's local part may hold, which made the old
    pattern quadratic."""
    rng = random.Random(11)
    lines: list[dict[str, object]] = []
    length = 0
    while length < size * 2 // 5:
        n = len(lines)
        line: dict[str, object] = {
            "id": n,
            "sku": f"SKU-{n:06d}",
            "name": f"Item {n}",
            "price": round(n * 1.5, 2),
            "tags": ["wholesale", "flower"],
            "contact": f"buyer.{n}@example.com",
        }
        lines.append(line)
        length += len(json.dumps(line)) + 2
    signature = base64.b64encode(rng.randbytes((size - length) * 3 // 4 - 60)).decode()
    return json.dumps({"lines": lines, "signature": signature})


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def values() -> list[tuple[str, str]]:
    rng = random.Random(7)
    return [
        ("1 MB note (everyday text, no PII)", note(rng, MB)),
        ("1 MB of '@a'", ("@a" * (MB // 2))),
        ("1 MB of '1 ' (one long run of numbers)", "1 " * (MB // 2)),
        ("1 MB of one digit run", "1" * MB),
        ("1 MB of '10.0.0.1 '", ("10.0.0.1 " * (MB // 9 + 1))[:MB]),
        ("1 MB of 'x@example.com '", ("x@example.com " * (MB // 14 + 1))[:MB]),
        ("1 MB of '12:30:45 '", ("12:30:45 " * (MB // 9 + 1))[:MB]),
        ("100 KB JSON document", json_document(100_000)),
        ("'a' * 40000 + '@'", "a" * 40_000 + "@"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per value (best is shown)")
    parser.add_argument("--database-url", metavar="URL", help="also time a whole scan of it")
    arguments = parser.parse_args()

    print(f"{'value':<42} {'size':>10} {'seconds':>9}  findings")
    for label, value in values():
        found: frozenset[str] = frozenset()

        def check(value: str = value) -> None:
            nonlocal found
            found = shapes.findings(None, value)

        seconds = best(arguments.repeat, check)
        print(f"{label:<42} {len(value):>10,} {seconds:>9.3f}  {', '.join(sorted(found)) or '-'}")

    if arguments.database_url:
        engine = create_engine(parse_database_url(arguments.database_url))
        try:
            with connect(engine) as connection:
                started = time.perf_counter()
                report = scanner.scan(connection)
                seconds = time.perf_counter() - started
        finally:
            engine.dispose()
        print(f"whole scan of database {report.database}: {seconds:.2f} s")
        for line in report.lines():
            print("  " + line)


if __name__ == "__main__":
    main()
