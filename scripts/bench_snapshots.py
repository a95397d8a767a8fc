"""Benchmark snapshots: per profile, the clone of a seeded template (CREATE DATABASE ...
TEMPLATE) with STRATEGY WAL_LOG and FILE_COPY (PostgreSQL 15 and later; WAL_LOG is the
default), and `python -m seed_data snapshot restore` as a whole command, against seeding
the same profile again. Each clone is the best of --repeat.

The last column is what the pytest fixtures (seeded_database_url) spend per test: the copy,
its comment, and the drop afterwards, each on a connection of its own (Templates.copy).

Run: scripts/bench-snapshots [--profiles small,medium,large] [--repeat 3] [--embedded]
(server: the embedded PostgreSQL with --embedded, else BENCH_SERVER_URL, default the
machine's PostgreSQL at 127.0.0.1:5432, else the embedded one, as scripts/bench)."""

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

from seed_data.embedded import embedded_database_url  # noqa: E402
from seed_data.templates import Templates  # noqa: E402


def clone_seconds(admin: sa.Connection, template: str, strategy: str) -> float:
    clone = f"{template}_clone"
    started = time.perf_counter()
    admin.execute(sa.text(f'create database "{clone}" template "{template}" strategy {strategy}'))
    seconds = time.perf_counter() - started
    admin.execute(sa.text(f'drop database "{clone}"'))
    return seconds


def per_test_seconds(templates: Templates, template: str) -> float:
    started = time.perf_counter()
    with templates.copy(template):
        pass
    return time.perf_counter() - started


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
    parser.add_argument("--embedded", action="store_true", help="the embedded PostgreSQL")
    args = parser.parse_args()
    server = (
        embedded_database_url(PROJECT_ROOT).set(database="postgres")
        if args.embedded
        else default_server()
    )
    templates = Templates(server, PROJECT_ROOT / "alembic.ini")
    admin_engine = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    version = 0
    with admin_engine.connect() as admin:
        version = int(admin.scalar(sa.text("show server_version_num")) or 0)
    print(f"server version {version}; seconds, best of {args.repeat}")
    print(
        "profile | MB | seed s | clone WAL_LOG s | clone FILE_COPY s | restore command s | "
        "per-test copy s"
    )
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
            per_test = min(
                per_test_seconds(templates, str(url.database)) for _ in range(args.repeat)
            )
            snapshot(url, "save")
            restores = [snapshot(url, "restore") for _ in range(args.repeat)]
            snapshot(url, "delete")
        print(
            f"{profile} | {int(size or 0) / 1e6:.1f} | {seed_seconds:.2f} | "
            f"{clones.get('WAL_LOG', float('nan')):.3f} | {clones['FILE_COPY']:.3f} | "
            f"{min(restores):.2f} | {per_test:.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
