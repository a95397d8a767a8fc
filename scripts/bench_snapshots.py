"""Benchmark snapshots: per profile, the clone of a seeded template (CREATE DATABASE ...
TEMPLATE) with STRATEGY WAL_LOG and FILE_COPY (PostgreSQL 15 and later; WAL_LOG is the
default), and `python -m seed_data snapshot restore` as a whole command, against seeding
the same profile again. Each clone is the best of --repeat.

Run: scripts/bench-snapshots [--profiles small,medium,large] [--repeat 3] (server:
BENCH_SERVER_URL, default the machine's PostgreSQL at 127.0.0.1:5432, else the embedded
one, as scripts/bench)."""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))

from bench import alembic, default_server, fresh_database, render  # noqa: E402


def clone_seconds(admin: sa.Connection, template: str, strategy: str) -> float:
    clone = f"{template}_clone"
    started = time.perf_counter()
    admin.execute(sa.text(f'create database "{clone}" template "{template}" strategy {strategy}'))
    seconds = time.perf_counter() - started
    admin.execute(sa.text(f'drop database "{clone}"'))
    return seconds


def snapshot(url: URL, action: str) -> float:
    """`python -m seed_data snapshot ACTION bench` as its own process; its wall seconds."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "seed_data", "snapshot", action, "bench"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": render(url)},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="small,medium,large")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    server = default_server()
    admin_engine = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    version = 0
    with admin_engine.connect() as admin:
        version = int(admin.scalar(sa.text("show server_version_num")) or 0)
    print(f"server version {version}; seconds, best of {args.repeat}")
    print("profile | MB | seed s | clone WAL_LOG s | clone FILE_COPY s | restore command s")
    for profile in args.profiles.split(","):
        with fresh_database(server) as url:
            seed_seconds, _ = alembic(url, "-x", f"profile={profile}", "upgrade", "seed@head")
            with admin_engine.connect() as admin:
                size = admin.scalar(sa.text("select pg_database_size(:d)"), {"d": url.database})
                strategies = ("WAL_LOG", "FILE_COPY") if version >= 150000 else ("FILE_COPY",)
                clones = {
                    strategy: min(
                        clone_seconds(admin, str(url.database), strategy)
                        for _ in range(args.repeat)
                    )
                    for strategy in strategies
                }
            snapshot(url, "save")
            restores = [snapshot(url, "restore") for _ in range(args.repeat)]
            snapshot(url, "delete")
        print(
            f"{profile} | {int(size or 0) / 1e6:.1f} | {seed_seconds:.2f} | "
            f"{clones.get('WAL_LOG', float('nan')):.3f} | {clones['FILE_COPY']:.3f} | "
            f"{min(restores):.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
