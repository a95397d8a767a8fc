"""Benchmark seeding a living database: what the app's rows cost the seed, and what the
seed costs the app.

- `enforcement`: the in-revision validation time of a seed (`--seed-profile`, small by
  default) onto an empty database, and onto one already holding a dataset (`--profile`,
  large by default) made outside seeding (seeded, then disowned: its ledger dropped, so to
  seeding it is the app's). Scoped validation should cost about the same in both.
- `writers`: app-like writers on other connections (insert a client, an order with three
  lines; update a seeded client) measured idle, then while `alembic upgrade seed@head`
  runs on a staging database (loads in place), then while `alembic downgrade seed@base`
  runs: latency p50 / p99 / max per phase, and every failed write.

Run: scripts/bench-living [--profile large] [--seed-profile small] [--writers 4]
[enforcement|writers] (server: BENCH_SERVER_URL, default the machine's PostgreSQL at
127.0.0.1:5432). `enforcement --profile xl --seed-profile large`: a large seed beside
xl-sized app tables."""

import argparse
import random
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
import sqlalchemy as sa

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from scripts.bench import alembic, default_server, fresh_database, render  # noqa: E402


def psql_url(url: sa.engine.URL) -> str:
    return render(url.set(drivername="postgresql"))


def validation_seconds(url: sa.engine.URL) -> tuple[float, int]:
    """Validation seconds summed over the last run's revisions, and rows inserted."""
    with psycopg.connect(psql_url(url)) as connection:
        (revisions,) = connection.execute(
            "select revisions from seed_runs where direction = 'upgrade' order by id desc limit 1"
        ).fetchone() or ([],)
    seconds = sum(entry.get("timings", {}).get("validation", 0.0) for entry in revisions)
    rows = sum(sum(entry["rows"].values()) for entry in revisions)
    return seconds, rows


def disown(url: sa.engine.URL) -> None:
    """Make seeded rows look like the app's: no ledger, alembic_version at the schema head."""
    with psycopg.connect(psql_url(url), autocommit=True) as connection:
        connection.execute("drop table seed_ledger, seed_ledger_changes")
        connection.execute("update alembic_version set version_num = 'schema_0003'")


def enforcement(server: sa.engine.URL, app_profile: str, seed_profile: str) -> None:
    seed = ("-x", f"profile={seed_profile}")
    with fresh_database(server) as empty, fresh_database(server) as living:
        alembic(empty, "upgrade", "schema@head")
        seconds, _ = alembic(empty, *seed, "upgrade", "seed@head")
        base_validation, rows = validation_seconds(empty)
        alembic(living, "-x", f"profile={app_profile}", "upgrade", "seed@head")
        disown(living)
        with psycopg.connect(psql_url(living)) as connection:
            (app_rows,) = connection.execute(
                "select sum(n_live_tup) from pg_stat_user_tables "
                "where relname not like 'seed\\_%' and relname <> 'alembic_version'"
            ).fetchone() or (0,)
        living_seconds, _ = alembic(living, *seed, "upgrade", "seed@head")
        living_validation, _ = validation_seconds(living)
    print(
        f"{seed_profile} seed ({rows:,} rows) onto an empty database: {seconds:.2f} s in all, "
        f"validation {base_validation:.2f} s"
    )
    print(
        f"{seed_profile} seed onto {int(app_rows):,} app rows ({app_profile} made outside "
        f"seeding): {living_seconds:.2f} s in all, validation {living_validation:.2f} s"
    )


def app_user_and_batch(connection: psycopg.Connection) -> tuple[int, int]:
    """A user and a batch of the app's own, for its orders to point at."""
    tag = uuid.uuid4().hex[:12]
    (user_id,) = connection.execute(
        "insert into users (open_id, name) values (%s, 'App') returning id", (f"app-{tag}",)
    ).fetchone() or (0,)
    (vendor_id,) = connection.execute(
        "insert into vendors (name) values (%s) returning id", (f"App vendor {tag}",)
    ).fetchone() or (0,)
    (lot_id,) = connection.execute(
        "insert into lots (code, vendor_id, date) values (%s, %s, current_date) returning id",
        (f"APP-LOT-{tag}", vendor_id),
    ).fetchone() or (0,)
    (batch_id,) = connection.execute(
        "insert into batches (code, sku, product_id, lot_id, payment_terms) "
        "values (%s, %s, 0, %s, 'COD') returning id",
        (f"APP-BATCH-{tag}", f"APP-SKU-{tag}", lot_id),
    ).fetchone() or (0,)
    return int(user_id), int(batch_id)


class Writers:
    """App-like writes on their own connections, each timed by phase: 60 % an app client
    with an order of three lines, 40 % an update of a seeded client."""

    def __init__(self, url: sa.engine.URL, count: int) -> None:
        self.url = psql_url(url)
        self.latencies: dict[str, list[float]] = {}
        self.failures: list[str] = []
        self.orders: list[str] = []
        self.phase = "idle"
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(count)]

    def run(self, number: int) -> None:
        rng = random.Random(number)
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute("set application_name = 'app-writer'")
            user_id, batch_id = app_user_and_batch(connection)
            while not self.stop.is_set():
                phase, started = self.phase, time.perf_counter()
                try:
                    if rng.random() < 0.6:
                        self.insert_order(connection, user_id, batch_id)
                    else:
                        self.update_seeded_client(connection, rng)
                except psycopg.Error as error:
                    self.failures.append(f"{phase}: {type(error).__name__}: {error}")
                    continue
                self.latencies.setdefault(phase, []).append(time.perf_counter() - started)
                time.sleep(0.005)

    def insert_order(self, connection: psycopg.Connection, user_id: int, batch_id: int) -> None:
        tag = uuid.uuid4().hex[:12]
        with connection.transaction():
            (client_id,) = connection.execute(
                "insert into clients (teri_code, name) values (%s, 'App client') returning id",
                (f"APP-{tag}",),
            ).fetchone() or (0,)
            (order_id,) = connection.execute(
                "insert into orders (order_number, order_type, client_id, created_by, "
                "quote_status) values (%s, 'QUOTE', %s, %s, 'DRAFT') returning id",
                (f"APP-ORD-{tag}", client_id, user_id),
            ).fetchone() or (0,)
            for line in range(3):
                connection.execute(
                    "insert into order_line_items (order_id, batch_id, product_display_name, "
                    "quantity, unit_price, line_total) values (%s, %s, %s, 1, 10, 10)",
                    (order_id, batch_id, f"App line {line}"),
                )
        self.orders.append(f"APP-ORD-{tag}")

    def update_seeded_client(self, connection: psycopg.Connection, rng: random.Random) -> None:
        connection.execute(
            "update clients set vip_portal_enabled = not vip_portal_enabled where id = "
            "(select id from clients where teri_code ~ '^(WHL|REG)[0-9]+$' "
            "order by id offset %s limit 1)",
            (rng.randrange(50),),
        )

    def __enter__(self) -> "Writers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def percentiles(values: list[float]) -> str:
    if not values:
        return "no writes"
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{len(values):>6,} writes, p50 {statistics.median(ordered) * 1000:7.1f} ms, "
        f"p99 {p99 * 1000:7.1f} ms, max {ordered[-1] * 1000:7.1f} ms"
    )


def timed(label: str, writers: Writers, action: Callable[[], object]) -> None:
    writers.phase = label
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"{label:<24} {seconds:6.1f} s  {percentiles(writers.latencies.get(label, []))}")


def writers_bench(server: sa.engine.URL, profile: str, count: int, idle_seconds: float) -> None:
    staging = {"SEED_ENV": "staging"}
    with fresh_database(server) as url:
        alembic(url, "upgrade", "schema@head", env=staging)

        def seed() -> object:
            return alembic(url, "-x", f"profile={profile}", "upgrade", "seed@head", env=staging)

        def unseed() -> object:
            confirmed = {**staging, "SEED_CONFIRM": str(url.database)}
            return alembic(url, "downgrade", "seed@base", env=confirmed)

        with Writers(url, count) as writers:
            timed("idle", writers, lambda: time.sleep(idle_seconds))
            timed(f"upgrade {profile}", writers, seed)
            timed("idle, seeded", writers, lambda: time.sleep(idle_seconds))
            timed("downgrade seed@base", writers, unseed)
        with psycopg.connect(psql_url(url)) as connection:
            (orders,) = connection.execute(
                "select count(*) from orders where order_number like 'APP-ORD-%%'"
            ).fetchone() or (0,)
            (others,) = connection.execute(
                "select count(*) from orders where order_number not like 'APP-ORD-%%'"
            ).fetchone() or (0,)
    print(
        f"failed app writes: {len(writers.failures)}"
        + "".join(f"\n  {failure}" for failure in writers.failures[:10])
    )
    print(
        f"app orders written {len(writers.orders):,}, found after the downgrade {orders:,}; "
        f"other orders left {others:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "mode", choices=("enforcement", "writers", "both"), nargs="?", default="both"
    )
    parser.add_argument(
        "--profile", default="large", help="app dataset (enforcement), seed (writers)"
    )
    parser.add_argument("--seed-profile", default="small", help="the seed (enforcement)")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    args = parser.parse_args()
    server = default_server()
    if args.mode in ("enforcement", "both"):
        enforcement(server, args.profile, args.seed_profile)
    if args.mode in ("writers", "both"):
        writers_bench(server, args.profile, args.writers, args.idle_seconds)


if __name__ == "__main__":
    main()
