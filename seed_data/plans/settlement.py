"""How a confirmed sale is paid, as seen on the anchor day: its invoice status, the
order's sale status, and the customer's payments (moment and cents).

Rules (docs/data-model.md): amount_paid is the sum of the payments; PAID when nothing is due,
PARTIAL when something but not all was paid; unpaid invoices are OVERDUE once past their
due date, else SENT or VIEWED. Odds follow TERP's generators: COD is paid on delivery;
about 15 % of long-past-due invoices stay unpaid; a fifth of paid invoices are paid in
two instalments; payments land from the invoice day to some weeks after the due date,
never after the anchor.
"""

import random
from datetime import date
from typing import NamedTuple

from seed_data.plans.clock import ANCHOR_TS, DAY, MINUTE, day, days_between
from seed_data.plans.draws import between
from seed_data.plans.units import share_of

# Terms of sale, TERP's: half on consignment, most of the rest net 30. Days until due.
TERMS = ("CONSIGNMENT", "NET_30", "NET_15", "NET_7", "COD")
TERM_WEIGHTS = (0.50, 0.35, 0.05, 0.05, 0.05)
TERM_DAYS = {"CONSIGNMENT": 30, "NET_30": 30, "NET_15": 15, "NET_7": 7, "COD": 0}
# (paid, partly paid) odds by how far past due the invoice is on the anchor day.
ODDS_LONG_PAST_DUE = (0.80, 0.06)  # more than 30 days past due
ODDS_PAST_DUE = (0.60, 0.15)
ODDS_NOT_DUE = (0.25, 0.15)
TWO_INSTALMENTS = 0.2
LATE_PAYMENT_DAYS = 20  # a paid invoice is settled at most this long after its due date


class Settlement(NamedTuple):
    invoice_status: str
    sale_status: str
    payments: tuple[tuple[int, int], ...]  # (epoch seconds, cents), in time order

    @property
    def paid(self) -> int:
        return sum(cents for _, cents in self.payments)


def settle(rng: random.Random, terms: str, invoiced: int, due: date, total: int) -> Settlement:
    """`invoiced`: when the invoice was created (epoch seconds); `due`: its due date."""
    anchor_day = day(ANCHOR_TS)
    latest = min(ANCHOR_TS, invoiced + (days_between(day(invoiced), due) + LATE_PAYMENT_DAYS) * DAY)

    def moments(count: int) -> list[int]:
        low = min(invoiced + MINUTE, ANCHOR_TS)
        return sorted(between(rng, low, max(low, latest)) for _ in range(count))

    if terms == "COD" or total < 2:  # nothing to split
        return Settlement("PAID", "PAID", ((min(invoiced + 30 * MINUTE, ANCHOR_TS), total),))
    past_due = days_between(due, anchor_day)
    paid_odds, partial_odds = (
        ODDS_LONG_PAST_DUE if past_due > 30 else ODDS_PAST_DUE if past_due > 0 else ODDS_NOT_DUE
    )
    draw = rng.random()
    if draw < paid_odds:
        if rng.random() < TWO_INSTALMENTS:
            first = share_of(total, rng.uniform(0.3, 0.7))
            amounts: tuple[int, ...] = (first, total - first)
        else:
            amounts = (total,)
        return Settlement("PAID", "PAID", tuple(zip(moments(len(amounts)), amounts, strict=True)))
    if draw < paid_odds + partial_odds:
        part = min(max(share_of(total, rng.uniform(0.2, 0.8)), 1), total - 1)
        return Settlement("PARTIAL", "PARTIAL", ((moments(1)[0], part),))
    if past_due > 0:
        return Settlement("OVERDUE", "OVERDUE", ())
    return Settlement(rng.choice(("SENT", "VIEWED")), "PENDING", ())
