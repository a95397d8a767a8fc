"""One replay of the trading simulation that counts what every later revision will write
(SeedContext.insert takes its row count up front) and where each batch's stock ends.
Cached per process: one `alembic upgrade` replays it once for all revisions."""

import functools
from dataclasses import dataclass

from seed_data.plans.stock import BatchOutcome, StockBook
from seed_data.plans.trading import StockMove, plan_world, simulate
from seed_data.profiles import Profile


@dataclass(frozen=True)
class PlanSummary:
    orders: int
    order_lines: int
    invoices: int
    invoice_lines: int
    received_payments: int
    movements: int
    outcomes: list[BatchOutcome]


@functools.lru_cache(maxsize=2)
def plan_summary(random_seed: int, profile: Profile) -> PlanSummary:
    book = StockBook(len(plan_world(random_seed, profile).supply.batches))
    orders = order_lines = invoices = invoice_lines = payments = movements = 0
    for event in simulate(random_seed, profile):
        if isinstance(event, StockMove):
            movements += 1
            book.apply(event)
            continue
        orders += 1
        order_lines += len(event.lines)
        if event.settlement is not None:
            invoices += 1
            invoice_lines += len(event.lines)
            payments += len(event.settlement.payments)
    return PlanSummary(
        orders, order_lines, invoices, invoice_lines, payments, movements, book.outcomes
    )
