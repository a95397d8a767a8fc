"""Payments: what customers paid on their invoices (RECEIVED), replayed from the
settlement plan so they add up to each invoice's amount_paid, and what the wholesaler
paid vendors for COD lots at intake (SENT, the batch's amount_paid).

Methods follow TERP's seeders without cards (card networks do not process cannabis
business-to-business payments): check 35 %, ACH 35 %, wire 15 %, cash 10 %, other 5 %;
cash only for amounts under $10,000. A refund or a return's credit goes back to the buyer
as a SENT payment on its invoice (REF-000001, TERP's numbering), by ACH or check, with the
reason. Every payment falls on a business day (terp/plans/settlement.py). Payments
older than two weeks are mostly reconciled."""

import random
from collections.abc import Iterator, Sequence

import sqlalchemy as sa

from seed_data.ids import IdBlock
from seed_data.seeding import Row, SeedContext, row_builder
from terp.datasets.notes import LOT_NOTES, PAYMENT_NOTES, REFUND_REASONS, RETURN_REASONS
from terp.generators.parents import planned
from terp.plans.clock import ANCHOR_TS, DAY, MINUTE, date_text, timestamp_text
from terp.plans.recording import planned_orders
from terp.plans.supply import BatchPlan
from terp.plans.trading import PlannedOrder
from terp.plans.units import decimal_text, times_price

PAYMENTS = sa.table(
    "payments",
    sa.column("id", sa.BigInteger),
    sa.column("payment_number", sa.String),
    sa.column("payment_type", sa.String),
    sa.column("payment_date", sa.Date),
    sa.column("amount", sa.Numeric),
    sa.column("payment_method", sa.String),
    sa.column("reference_number", sa.String),
    sa.column("customer_id", sa.BigInteger),
    sa.column("vendor_id", sa.BigInteger),
    sa.column("invoice_id", sa.BigInteger),
    sa.column("is_reconciled", sa.Boolean),
    sa.column("notes", sa.String),
    sa.column("created_by", sa.BigInteger),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
TABLES = (PAYMENTS,)
# Rows each profile gives, measured with random seed 42 (terp/catalogue.py shows them;
# tests/test_profiles.py seeds the profiles and compares).
ROWS: dict[str, dict[str, int]] = {
    "payments": {"small": 85, "medium": 4_171, "large": 25_110, "xl": 192_091},
}
PAYMENTS_ROW = row_builder(PAYMENTS)
METHODS = ("CHECK", "ACH", "WIRE", "CASH", "OTHER")
METHOD_WEIGHTS = (0.35, 0.35, 0.15, 0.10, 0.05)
# Hand-written prefixes for the bank's reference of a payment.
REFERENCE_PREFIX = {"CHECK": "CHK", "ACH": "ACH", "WIRE": "WIRE"}
METHOD_NOTES = {
    "CHECK": "Check deposited",
    "ACH": "ACH cleared",
    "WIRE": "Wire received",
    "CASH": "Cash counted twice and logged",
}
PARTIAL_NOTE = "Partial payment, balance on next delivery"
FULL_NOTE = "Paid in full"
COD_NOTE = "Paid COD at intake"
RECONCILED_AFTER = 14 * DAY
RECONCILED_SHARE = 0.9
VENDOR_PAID_AFTER = 30 * MINUTE
CASH_LIMIT = 10_000_00  # cents
# Note texts come from terp/datasets/notes.py, which says where they come from.
assert all(note in PAYMENT_NOTES for note in (*METHOD_NOTES.values(), PARTIAL_NOTE, FULL_NOTE))
assert COD_NOTE in LOT_NOTES


def reference_number(rng: random.Random, method: str) -> str | None:
    prefix = REFERENCE_PREFIX.get(method)
    return None if prefix is None else f"{prefix}-{rng.randrange(10**8):08d}"


def vendor_method(rng: random.Random, cents: int) -> str:
    """Small COD lots are often settled in cash at the dock; large ones by bank transfer."""
    if cents < CASH_LIMIT and rng.random() < 0.5:
        return "CASH"
    return rng.choice(("WIRE", "ACH"))


def reconciled(rng: random.Random, at: int) -> bool:
    return at < ANCHOR_TS - RECONCILED_AFTER and rng.random() < RECONCILED_SHARE


def received_fields(
    rng: random.Random, order: PlannedOrder, invoice_id: int, client_id: int
) -> Iterator[tuple[int, dict[str, object]]]:
    """(moment, columns payment_type .. notes) of each payment on the order's invoice."""
    assert order.settlement is not None
    partial = order.settlement.invoice_status == "PARTIAL"
    for at, cents in order.settlement.payments:
        method = rng.choices(METHODS, METHOD_WEIGHTS)[0]
        if method == "CASH" and cents >= CASH_LIMIT:
            method = "WIRE"
        if partial:
            notes: str | None = PARTIAL_NOTE
        elif rng.random() < 0.5:
            notes = METHOD_NOTES.get(method, FULL_NOTE)
        else:
            notes = None
        yield at, customer_payment(rng, "RECEIVED", at, cents, method, client_id, invoice_id, notes)


def refund_fields(
    rng: random.Random, order: PlannedOrder, invoice_id: int, client_id: int
) -> tuple[int, dict[str, object]] | None:
    """(moment, columns payment_type .. notes) of the refund sent back, if any."""
    aftercare = order.aftercare
    if aftercare is None or not aftercare.refunded:
        return None
    if aftercare.returned:
        at, reason = aftercare.returned[0], rng.choice(RETURN_REASONS)
    else:
        assert aftercare.refund is not None
        at, reason = aftercare.refund[0], rng.choice(REFUND_REASONS)
    method = rng.choice(("ACH", "CHECK"))
    refunded = aftercare.refunded
    return at, customer_payment(rng, "SENT", at, refunded, method, client_id, invoice_id, reason)


def customer_payment(
    rng: random.Random,
    payment_type: str,
    at: int,
    cents: int,
    method: str,
    client_id: int,
    invoice_id: int,
    notes: str | None,
) -> dict[str, object]:
    """Columns payment_type .. notes of a payment from (RECEIVED) or to (SENT) a client."""
    return dict(
        payment_type=payment_type,
        payment_date=date_text(at),
        amount=decimal_text(cents),
        payment_method=method,
        reference_number=reference_number(rng, method),
        customer_id=client_id,
        vendor_id=None,
        invoice_id=invoice_id,
        is_reconciled=reconciled(rng, at),
        notes=notes,
    )


def vendor_payments(batches: Sequence[BatchPlan]) -> list[BatchPlan]:
    """COD batches already received: the wholesaler paid for them at intake."""
    return [batch for batch in batches if not batch.consignment and not batch.awaiting]


def generate(context: SeedContext) -> None:
    plan = planned(context)
    rng, profile, seed, world, summary = plan.rng, plan.profile, plan.seed, plan.world, plan.summary
    invoice_ids = plan.ids("invoices")
    client_ids = plan.ids("clients")
    vendor_ids = plan.ids("vendors")
    user_ids = plan.ids("users")
    cod = vendor_payments(world.supply.batches)
    lots = world.supply.lots

    payment_number = context.codes("payments", "payment_number", "PAY-", 6)
    refund_number = context.codes("payments", "payment_number", "REF-", 6)

    def rows(ids: IdBlock) -> Iterator[Row]:
        numbers = iter(enumerate(ids, start=1))
        refunds = 0
        for order in planned_orders(seed, profile):
            if order.settlement is None:
                continue
            assert order.invoice is not None
            invoice_id, client_id = invoice_ids[order.invoice], client_ids[order.client]
            for at, fields in received_fields(rng, order, invoice_id, client_id):
                serial, payment_id = next(numbers)
                created = timestamp_text(at)
                yield PAYMENTS_ROW(
                    id=payment_id,
                    payment_number=payment_number(serial - refunds),
                    **fields,
                    created_by=rng.choice(user_ids),
                    created_at=created,
                    updated_at=created,
                )
            refund = refund_fields(rng, order, invoice_id, client_id)
            if refund is not None:
                _, payment_id = next(numbers)
                refunds += 1
                at, fields = refund
                created = timestamp_text(at)
                yield PAYMENTS_ROW(
                    id=payment_id,
                    payment_number=refund_number(refunds),
                    **fields,
                    created_by=rng.choice(user_ids),
                    created_at=created,
                    updated_at=created,
                )
        for batch in cod:
            serial, payment_id = next(numbers)
            serial -= refunds
            at = batch.created + VENDOR_PAID_AFTER
            amount = times_price(batch.intake, batch.unit_cogs)
            method = vendor_method(rng, amount)
            created = timestamp_text(at)
            yield PAYMENTS_ROW(
                id=payment_id,
                payment_number=payment_number(serial),
                payment_type="SENT",
                payment_date=date_text(at),
                amount=decimal_text(amount),
                payment_method=method,
                reference_number=reference_number(rng, method),
                customer_id=None,
                vendor_id=vendor_ids[lots[batch.lot_index].vendor_index],
                invoice_id=None,
                is_reconciled=reconciled(rng, at),
                notes=COD_NOTE,
                created_by=rng.choice(user_ids),
                created_at=created,
                updated_at=created,
            )

    context.insert(PAYMENTS, summary.received_payments + len(cod), rows)
