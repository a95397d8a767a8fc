"""What every later revision will write, counted while the simulation is recorded
(SeedContext.insert takes its row count up front), and where each batch's stock ends."""

from dataclasses import dataclass

from terp.plans.stock import BatchOutcome, StockBook
from terp.plans.trading import PlannedOrder, StockMove


@dataclass(frozen=True)
class PlanSummary:
    orders: int
    order_lines: int
    invoices: int
    invoice_lines: int
    received_payments: int  # with the refunds sent back to buyers
    movements: int
    outcomes: list[BatchOutcome]


class Tally:
    """Fed every event of one simulation, in order."""

    def __init__(self, batch_count: int) -> None:
        self.book = StockBook(batch_count)
        self.orders = self.order_lines = self.invoices = self.invoice_lines = 0
        self.payments = self.movements = 0

    def order(self, order: PlannedOrder) -> None:
        self.orders += 1
        self.order_lines += len(order.lines)
        if order.settlement is not None:
            self.invoices += 1
            self.invoice_lines += len(order.lines)
            self.payments += len(order.settlement.payments)
        if order.aftercare is not None and order.aftercare.refunded:
            self.payments += 1  # the refund sent back

    def move(self, move: StockMove) -> None:
        self.movements += 1
        self.book.apply(move)

    def summary(self) -> PlanSummary:
        return PlanSummary(
            self.orders,
            self.order_lines,
            self.invoices,
            self.invoice_lines,
            self.payments,
            self.movements,
            self.book.outcomes,
        )
