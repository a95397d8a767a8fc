"""Where one seed's seconds go, Python and the server side by side.

A fresh database gets the schema, then `alembic -x profile=P upgrade seed@head` runs as a
new process (SEED_LOG_FORMAT=json) while scripts/process_tree.py samples, every 50 ms, the
CPU of the seeding process tree (the process and the simulation's child) and of the
PostgreSQL server's processes. Printed: per revision, its wall seconds, its own timings
(seconds per table, validation, changes) and the CPU seconds each side used meanwhile;
then the run second by second; then how much of the wall time had both sides busy, one,
or neither. Run on the machine the server runs on (the machine's PostgreSQL at
127.0.0.1:5432, or the embedded one), with nothing else running.

Run: scripts/profile-seed [--profile xl] [--bucket 1.0]"""

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from scripts.bench import alembic, alembic_command, default_server, fresh_database, render  # noqa: E402
from scripts.process_tree import Sample, Sampler  # noqa: E402

BAR = 20  # characters for one busy core


@dataclass(frozen=True)
class Window:
    revision: str
    start: float  # seconds after launch
    end: float
    timings: dict[str, float]


def revision_windows(log: str, launched: float) -> list[Window]:
    """Each seed revision's span, from the JSON log's event times."""
    windows, begun = [], launched
    for line in log.splitlines():
        if not line.startswith("{"):
            continue
        event = json.loads(line)
        moment = datetime.fromisoformat(event["time"]).timestamp() - launched
        if event.get("logger") == "alembic.runtime.migration" and "Running upgrade" in str(
            event.get("message")
        ):
            begun = moment
        elif event.get("event") == "seed_revision":
            windows.append(Window(event["revision"], begun, moment, event.get("timings", {})))
    return windows


def used(samples: list[Sample], start: float, end: float) -> tuple[float, float, float]:
    """CPU seconds of the seeding processes, the seed's backend, other server processes."""
    inside = [sample for sample in samples if start < sample.seconds <= end]
    return (
        sum(s.command_cpu for s in inside),
        sum(s.server_cpu for s in inside),
        sum(s.other_server_cpu for s in inside),
    )


def bar(share: float, mark: str) -> str:
    return (mark * round(min(share, 1.0) * BAR)).ljust(BAR)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="xl")
    parser.add_argument("--bucket", type=float, default=1.0, help="seconds per timeline line")
    args = parser.parse_args()
    with fresh_database(default_server()) as url:
        alembic(url, "upgrade", "schema@head")
        env = {**os.environ, "DATABASE_URL": render(url), "SEED_LOG_FORMAT": "json"}
        launched = time.time()
        process = subprocess.Popen(
            [
                *alembic_command(PROJECT_ROOT),
                "-x",
                f"profile={args.profile}",
                "upgrade",
                "seed@head",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        sampler = Sampler(process.pid, url.database or "")
        log, _ = process.communicate()
        wall = time.time() - launched
        samples = sampler.stop()
        if process.returncode:
            raise SystemExit(f"profile-seed: the seed failed:\n{log}")
    windows = revision_windows(log, launched)
    python_cpu, server_cpu, other_cpu = used(samples, 0.0, wall + 1)
    print(
        f"{args.profile}: {wall:.2f} s wall; CPU seconds: Python {python_cpu:.2f}, the seed's "
        f"backend {server_cpu:.2f}, other server processes {other_cpu:.2f}; peak memory "
        f"{sampler.peak_memory_mb:.0f} MB (PSS of the seeding processes, summed)\n"
    )
    print("| part | from s | wall s | Python CPU s | backend CPU s | its timings (s) |")
    print("|---|---:|---:|---:|---:|---|")
    first = windows[0].start if windows else wall
    last = windows[-1].end if windows else wall
    parts = [
        Window("start-up", 0.0, first, {}),
        *windows,
        Window("exit", last, wall, {}),
    ]
    for part in parts:
        python, server, _ = used(samples, part.start, part.end)
        timings = ", ".join(f"{key} {value:.2f}" for key, value in part.timings.items())
        print(
            f"| {part.revision} | {part.start:.2f} | {part.end - part.start:.2f} "
            f"| {python:.2f} | {server:.2f} | {timings} |"
        )
    print(f"\nsecond by second: Python #, the seed's backend * ({BAR} marks: one core busy)")
    for index in range(int(wall / args.bucket) + 1):
        start = index * args.bucket
        python, server, _ = used(samples, start, start + args.bucket)
        print(
            f"{start:6.1f} {bar(python / args.bucket, '#')} {bar(server / args.bucket, '*')} "
            f"{100 * python / args.bucket:4.0f} % {100 * server / args.bucket:4.0f} %"
        )
    both = python_alone = server_alone = 0.0
    previous = 0.0
    for sample in samples:
        span, previous = sample.seconds - previous, sample.seconds
        if span <= 0:
            continue
        python_busy = min(sample.command_cpu / span, 1.0)
        server_busy = min(sample.server_cpu / span, 1.0)
        both += span * min(python_busy, server_busy)
        python_alone += span * max(python_busy - server_busy, 0.0)
        server_alone += span * max(server_busy - python_busy, 0.0)
    print(
        f"\nof {wall:.2f} s: both busy {both:.2f} s, Python alone {python_alone:.2f} s, "
        f"the backend alone {server_alone:.2f} s, the rest waiting"
    )


if __name__ == "__main__":
    main()
