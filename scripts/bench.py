"""Benchmark the seed against raw COPY of the same rows and against the naive path.

For each profile: a fresh database gets the schema, then `alembic upgrade seed@head` runs
as a real process (interpreter start included) and is timed, with its peak memory (see
`alembic`). The rows it wrote are exported with COPY TO and replayed with raw COPY FROM
into a second fresh database with the same schema, timed: ratio = raw COPY seconds /
seed seconds (1.0 would mean the seed costs no more than the server's own loading). The
downgrade is timed too. The naive path (Faker called per field per row, ORM `add_all`) is
sampled on a few thousand client rows and extrapolated to the profile's row count; it
says so.

Run: scripts/bench [--profiles small,medium] [--repeat 3] (server: BENCH_SERVER_URL, default
the machine's PostgreSQL at 127.0.0.1:5432, else the embedded one). SEED_LOAD_IN_PLACE=true
in the environment benches the seed with keys and indexes kept in place during loads.

`--baseline DIR` compares against another checkout of this project (say `git worktree add
/tmp/base <commit>`), with this checkout's interpreter: each repeat seeds with the
baseline, then with this checkout, alternately, so both see the same machine; a last row
gives this checkout's median seconds over the baseline's (1.10: 10 % slower).

`--backup` also times what a staging downgrade does, on a third database seeded alike:
the downgrade (to seed_0001, which keeps the ledger a restore writes into) with its backup
written first (SEED_BACKUP=true), the backup's size, and `python -m seed_data restore` of
it; "down s" stays the plain downgrade of the first database, as fresh as this one."""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from faker import Faker
from sqlalchemy import orm
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from scripts.process_tree import Sampler  # noqa: E402
from seed_data.database import parse_database_url  # noqa: E402
from seed_data.embedded import embedded_database_url  # noqa: E402


def alembic_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "alembic", "-c", str(root / "alembic.ini")]


BOOKKEEPING = {"seed_ledger", "seed_runs", "seed_environment", "alembic_version"}


def render(url: URL) -> str:
    return url.render_as_string(hide_password=False)


@contextmanager
def fresh_database(server: URL) -> Iterator[URL]:
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text(f'create database "{name}"'))
    try:
        yield server.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'drop database if exists "{name}" with (force)'))


def alembic(
    url: URL, *args: str, env: dict[str, str] | None = None, root: Path = PROJECT_ROOT
) -> tuple[float, int]:
    """Run the alembic CLI of the checkout at `root`; return (wall seconds, peak MB): the
    larger of the peak RSS of its largest process (exact, from wait4) and the peak of the
    PSS summed over the process and the child it forks (sampled every 50 ms)."""
    env = {**os.environ, "DATABASE_URL": render(url), **(env or {})}
    started = time.perf_counter()
    process = subprocess.Popen(
        [*alembic_command(root), *args],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = Sampler(process.pid)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    sampler.stop()
    if os.waitstatus_to_exitcode(status) != 0:
        assert process.stderr is not None
        raise SystemExit(f"bench: alembic {' '.join(args)} failed:\n{process.stderr.read()}")
    return seconds, max(round(sampler.peak_memory_mb), usage.ru_maxrss // 1024)


def seeded_tables(engine: sa.Engine) -> list[str]:
    with engine.connect() as connection:
        tables = connection.scalars(
            sa.text("select table_name from seed_ledger group by table_name order by min(id)")
        )
        return [table for table in tables if table not in BOOKKEEPING]


def raw_copy_seconds(source: URL, target: URL, workdir: Path) -> tuple[float, int]:
    """Export the seeded rows, replay them with plain COPY into an empty schema."""
    source_engine = sa.create_engine(source, poolclass=NullPool)
    tables = seeded_tables(source_engine)
    rows = 0
    with source_engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        for table in tables:
            with (
                open(workdir / f"{table}.bin", "wb") as out,
                raw.cursor() as cursor,
                cursor.copy(f"copy {table} to stdout (format binary)") as copy,
            ):
                for block in copy:
                    out.write(block)
            rows += int(connection.scalar(sa.text(f"select count(*) from {table}")) or 0)
    source_engine.dispose()
    target_engine = sa.create_engine(target, poolclass=NullPool)
    started = time.perf_counter()
    with target_engine.begin() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        for table in tables:
            with (
                open(workdir / f"{table}.bin", "rb") as source_file,
                raw.cursor() as cursor,
                cursor.copy(f"copy {table} from stdin (format binary)") as copy,
            ):
                while block := source_file.read(1 << 20):
                    copy.write(block)
    seconds = time.perf_counter() - started
    target_engine.dispose()
    return seconds, rows


class Base(orm.DeclarativeBase):
    pass


class Client(Base):
    __tablename__ = "clients"
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    teri_code: orm.Mapped[str]
    name: orm.Mapped[str]
    email: orm.Mapped[str]
    phone: orm.Mapped[str]
    address: orm.Mapped[str]


def naive_rows_per_second(url: URL, sample: int) -> float:
    """Faker per field per row, ORM add_all: what a first seeder usually looks like."""
    fake = Faker("en_US")
    fake.seed_instance(1)
    engine = sa.create_engine(url, poolclass=NullPool)
    started = time.perf_counter()
    with orm.Session(engine) as session:
        session.add_all(
            Client(
                teri_code=f"NAV{index:06d}",
                name=fake.company(),
                email=fake.email(),
                phone=fake.phone_number(),
                address=fake.address(),
            )
            for index in range(sample)
        )
        session.commit()
    seconds = time.perf_counter() - started
    engine.dispose()
    return sample / seconds


def backup_and_restore(server: URL, profile: str, root: Path) -> dict[str, object]:
    """On a database of its own: seed, downgrade with a backup, restore it; the last two
    timed, each as its own process."""
    with fresh_database(server) as seeded, tempfile.TemporaryDirectory() as backups:
        alembic(seeded, "-x", f"profile={profile}", "upgrade", "seed@head", root=root)
        env = {"SEED_BACKUP": "true", "SEED_BACKUP_DIR": backups}
        backed_up_seconds, _ = alembic(seeded, "downgrade", "seed_0001", env=env, root=root)
        (backup,) = Path(backups).iterdir()
        size = sum(path.stat().st_size for path in backup.iterdir())
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "seed_data", "restore", str(backup)],
            cwd=root,
            env={**os.environ, "DATABASE_URL": render(seeded)},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        restore_seconds = time.perf_counter() - started
    return {
        "down+backup s": backed_up_seconds,
        "backup MB": size / 1e6,
        "restore s": restore_seconds,
    }


def bench_profile(
    server: URL, profile: str, naive_rate: float, root: Path = PROJECT_ROOT, backup: bool = False
) -> dict[str, object]:
    with fresh_database(server) as seeded, fresh_database(server) as replay:
        alembic(seeded, "upgrade", "schema@head", root=root)
        alembic(replay, "upgrade", "schema@head", root=root)
        seed_seconds, peak_mb = alembic(
            seeded, "-x", f"profile={profile}", "upgrade", "seed@head", root=root
        )
        with tempfile.TemporaryDirectory() as workdir:
            copy_seconds, rows = raw_copy_seconds(seeded, replay, Path(workdir))
        down_seconds, _ = alembic(seeded, "downgrade", "seed@base", root=root)
    backed_up = backup_and_restore(server, profile, root) if backup else {}
    naive_seconds = rows / naive_rate
    return {
        "profile": profile if root == PROJECT_ROOT else f"{profile} base",
        "rows": rows,
        "seconds": seed_seconds,
        "rows/s": rows / seed_seconds,
        "raw COPY s": copy_seconds,
        "ratio": copy_seconds / seed_seconds,
        "naive x": naive_seconds / seed_seconds,
        "down s": down_seconds,
        "peak MB": peak_mb,
        **backed_up,
    }


def default_server() -> URL:
    raw = os.environ.get("BENCH_SERVER_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    url = parse_database_url(raw)
    try:
        sa.create_engine(url, poolclass=NullPool).connect().close()
    except sa.exc.OperationalError:
        return embedded_database_url(PROJECT_ROOT).set(database="postgres")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="small,medium,large,xl")
    parser.add_argument("--naive-sample", type=int, default=2_000)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per profile; with more than one, a median row follows (the machine is "
        "shared: single runs vary by 10-30 %%)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout of this project to compare against, run alternately",
    )
    parser.add_argument(
        "--backup",
        action="store_true",
        help="also time a downgrade with its backup, the backup's size, and its restore",
    )
    args = parser.parse_args()
    if args.baseline and not (args.baseline / "alembic.ini").is_file():
        raise SystemExit(f"bench: {args.baseline} is not a checkout of this project")
    server = default_server()
    with fresh_database(server) as scratch:
        alembic(scratch, "upgrade", "schema@head")
        naive_rate = naive_rows_per_second(scratch, args.naive_sample)
    print(
        f"naive path: {naive_rate:,.0f} rows/s (Faker per field + ORM add_all, "
        f"{args.naive_sample:,} client rows sampled; extrapolated below)"
    )
    columns = [
        "profile",
        "rows",
        "seconds",
        "rows/s",
        "raw COPY s",
        "ratio",
        "naive x",
        "down s",
        "peak MB",
    ]
    if args.backup:
        columns += ["down+backup s", "backup MB", "restore s"]
    print(" | ".join(f"{c:>11}" for c in columns))
    for profile in args.profiles.split(","):
        results, baseline = [], []
        for _ in range(args.repeat):
            if args.baseline:
                baseline.append(bench_profile(server, profile, naive_rate, args.baseline.resolve()))
                print_row(columns, baseline[-1])
            results.append(bench_profile(server, profile, naive_rate, backup=args.backup))
            print_row(columns, results[-1])
        if len(results) > 1:
            print_row(columns, median_row("median", columns, results))
        if baseline:
            if len(baseline) > 1:
                print_row(columns, median_row("base median", columns, baseline))
            ours = statistics.median(float(r["seconds"]) for r in results)  # type: ignore[arg-type]
            theirs = statistics.median(float(r["seconds"]) for r in baseline)  # type: ignore[arg-type]
            print(f"{profile}: {ours:.1f} s, the baseline {theirs:.1f} s: x{ours / theirs:.2f}")


def median_row(
    label: str, columns: list[str], results: list[dict[str, object]]
) -> dict[str, object]:
    median: dict[str, object] = {"profile": label}
    for column in columns[1:]:
        values = [result[column] for result in results]
        median[column] = statistics.median(values)  # type: ignore[type-var]
    return median


def print_row(columns: list[str], result: dict[str, object]) -> None:
    cells = []
    for column in columns:
        value = result[column]
        cells.append(f"{value:>11,.2f}" if isinstance(value, float) else f"{value!s:>11}")
    print(" | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
