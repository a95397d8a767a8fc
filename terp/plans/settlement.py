"""How a confirmed sale is paid, as seen on the anchor day: its invoice status, the
order's sale status, and the customer's payments (moment and cents).

Rules (docs/data-model.md): amount_paid is the sum of the payments; PAID when nothing is
due, PARTIAL when something but not all was paid; unpaid invoices are OVERDUE once past
their due date, else SENT or VIEWED. COD is paid on delivery.

Late payment is not spread over everyone: it belongs to the client (`Behaviour`). Most
clients pay by the due date or within days of it; slow payers settle weeks late; a few bad
accounts leave invoices unpaid. TERP's own target is 15 % of receivables overdue, half of
that past 120 days. What a bad account leaves unpaid 180 days past due is written off
(trading.py voids the invoice), and a client holding debt 90 days past due buys COD only
(trading.py). Payments fall on business days: a payment's moment is moved to the next
weekday, in business hours, never past the anchor.
"""

import random
from datetime import date
from enum import Enum
from typing import NamedTuple

from terp.plans.clock import (
    ANCHOR_TS,
    DAY,
    HOUR,
    MINUTE,
    day,
    days_between,
    midnight,
    office_moment,
)
from terp.plans.draws import between
from terp.plans.units import share_of

# Terms of sale, TERP's: half on consignment, most of the rest net 30. Days until due.
TERMS = ("CONSIGNMENT", "NET_30", "NET_15", "NET_7", "COD")
TERM_WEIGHTS = (0.50, 0.35, 0.05, 0.05, 0.05)
TERM_DAYS = {"CONSIGNMENT": 30, "NET_30": 30, "NET_15": 15, "NET_7": 7, "COD": 0}
TWO_INSTALMENTS = 0.2


class Behaviour(Enum):
    """How a client pays. Whales are GOOD or SLOW; BAD accounts are a few regulars."""

    GOOD = "good"  # by the due date (a day late at most), now and then weeks late
    SLOW = "slow"  # five days to five weeks late
    BAD = "bad"  # mostly late, often never


class Settlement(NamedTuple):
    invoice_status: str
    sale_status: str
    payments: tuple[tuple[int, int], ...]  # (epoch seconds, cents), in time order

    @property
    def paid(self) -> int:
        return sum(cents for _, cents in self.payments)


def _delay_days(rng: random.Random, behaviour: Behaviour) -> int | None:
    """Days after the due date the invoice is paid (negative: early), None: never."""
    if behaviour is Behaviour.GOOD:
        return between(rng, -20, 1) if rng.random() < 0.97 else between(rng, 2, 30)
    if behaviour is Behaviour.SLOW:
        return between(rng, 5, 35)
    draw = rng.random()
    if draw < 0.45:
        return between(rng, 30, 120)
    return None


def settle(
    rng: random.Random,
    terms: str,
    invoiced: int,
    due: date,
    total: int,
    behaviour: Behaviour = Behaviour.GOOD,
) -> Settlement:
    """`invoiced`: when the invoice was created (epoch seconds); `due`: its due date."""
    anchor_day = day(ANCHOR_TS)
    if terms == "COD" or total < 2:  # paid on delivery
        at = office_moment(invoiced + 30 * MINUTE)
        if at <= ANCHOR_TS:
            return Settlement("PAID", "PAID", ((at, total),))
        return Settlement("SENT", "PENDING", ())
    delay = _delay_days(rng, behaviour)
    if delay is None:
        planned: list[tuple[int, int]] = []
    else:
        paid_day = max(day(invoiced), date.fromordinal(due.toordinal() + delay))
        full_at = office_moment(
            max(invoiced + MINUTE, midnight(paid_day) + between(rng, 0, 9 * HOUR))
        )
        if rng.random() < TWO_INSTALMENTS:
            first = share_of(total, rng.uniform(0.3, 0.7))
            low = invoiced + MINUTE
            first_at = office_moment(between(rng, low, max(low, full_at)))
            planned = [(first_at, first), (max(first_at, full_at), total - first)]
        else:
            planned = [(full_at, total)]
    if behaviour is Behaviour.BAD and delay is None and rng.random() < 0.4:
        # a token payment before going quiet
        part = min(max(share_of(total, rng.uniform(0.1, 0.4)), 1), total - 1)
        planned = [(office_moment(invoiced + between(rng, DAY, 20 * DAY)), part)]
    payments = tuple((at, cents) for at, cents in planned if at <= ANCHOR_TS)
    paid = sum(cents for _, cents in payments)
    if paid >= total:
        return Settlement("PAID", "PAID", payments)
    if paid > 0:
        return Settlement("PARTIAL", "PARTIAL", payments)
    if days_between(due, anchor_day) > 0:
        return Settlement("OVERDUE", "OVERDUE", payments)
    return Settlement(rng.choice(("SENT", "VIEWED")), "PENDING", payments)
