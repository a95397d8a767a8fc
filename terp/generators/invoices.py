"""Invoices (accounts receivable) and their line items: one invoice per confirmed sale,
dated on the order's day, due by the order's terms, its lines copying the order's.

amount_paid, amount_due and status are what the payments revision's rows will add up
to (both replay the same settlement plan): amount_due = total_amount - amount_paid,
PAID when nothing is due, PARTIAL when part is, OVERDUE, SENT or VIEWED when nothing is
paid yet. A refund (or a return's credit) is a discount on the invoice and comes off what
it counts as paid; a bad debt written off leaves the invoice VOID with its balance."""

import random
from collections.abc import Callable, Iterator, Sequence

import sqlalchemy as sa

from seed_data.ids import IdBlock
from seed_data.seeding import Row, SeedContext, row_builder
from terp.generators.parents import planned, product_names
from terp.plans.clock import date_text, timestamp_text
from terp.plans.recording import order_lines, planned_orders
from terp.plans.trading import PlannedOrder
from terp.plans.units import decimal_text

INVOICES = sa.table(
    "invoices",
    sa.column("id", sa.BigInteger),
    sa.column("invoice_number", sa.String),
    sa.column("customer_id", sa.BigInteger),
    sa.column("invoice_date", sa.Date),
    sa.column("due_date", sa.Date),
    sa.column("subtotal", sa.Numeric),
    sa.column("tax_amount", sa.Numeric),
    sa.column("discount_amount", sa.Numeric),
    sa.column("total_amount", sa.Numeric),
    sa.column("amount_paid", sa.Numeric),
    sa.column("amount_due", sa.Numeric),
    sa.column("status", sa.String),
    sa.column("reference_type", sa.String),
    sa.column("reference_id", sa.BigInteger),
    sa.column("notes", sa.String),
    sa.column("created_by", sa.BigInteger),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
INVOICE_LINE_ITEMS = sa.table(
    "invoice_line_items",
    sa.column("id", sa.BigInteger),
    sa.column("invoice_id", sa.BigInteger),
    sa.column("product_id", sa.BigInteger),
    sa.column("batch_id", sa.BigInteger),
    sa.column("description", sa.String),
    sa.column("quantity", sa.Numeric),
    sa.column("unit_price", sa.Numeric),
    sa.column("line_total", sa.Numeric),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
TABLES = (
    INVOICES,
    INVOICE_LINE_ITEMS,
)
# Rows each profile gives, measured with random seed 42 (terp/catalogue.py shows them;
# tests/test_profiles.py seeds the profiles and compares).
ROWS: dict[str, dict[str, int]] = {
    "invoices": {"small": 68, "medium": 3_484, "large": 20_760, "xl": 159_400},
    "invoice_line_items": {"small": 180, "medium": 10_457, "large": 63_289, "xl": 485_631},
}
INVOICES_ROW = row_builder(INVOICES)
INVOICE_LINE_ITEMS_ROW = row_builder(INVOICE_LINE_ITEMS)
# The terms in words, hand-written for this project (TERP's invoice notes are free text).
TERMS_NOTES = {
    "CONSIGNMENT": "Consignment terms: due 30 days after delivery",
    "NET_30": "Net 30",
    "NET_15": "Net 15",
    "NET_7": "Net 7",
    "COD": "Cash on delivery",
}
# How a bad debt is written off in TERP's terms: the invoice is voided, its balance kept
# on it for the record, and the note says why.
WRITTEN_OFF_NOTE = "Written off: unpaid 180 days past due, account moved to COD"


def invoice_row(
    rng: random.Random,
    invoice_id: int,
    order: PlannedOrder,
    order_ids: Sequence[int],
    client_ids: Sequence[int],
    user_ids: Sequence[int],
    invoice_number: Callable[[int], str],
) -> Row:
    settlement = order.settlement
    assert settlement is not None and order.invoice is not None and order.due is not None
    aftercare = order.aftercare
    refunded = aftercare.refunded if aftercare else 0
    # a refund lowers the invoice's total (as a discount) and what it counts as paid
    paid, total = settlement.paid - refunded, order.total - refunded
    moments = [order.invoiced, *(at for at, _ in settlement.payments)]
    status, notes = settlement.invoice_status, TERMS_NOTES[order.terms]
    if aftercare and aftercare.written_off is not None:
        status, notes = "VOID", WRITTEN_OFF_NOTE
        moments.append(aftercare.written_off)
    if aftercare and aftercare.refund:
        moments.append(aftercare.refund[0])
    if aftercare and aftercare.returned:
        moments.append(aftercare.returned[0])
    return INVOICES_ROW(
        id=invoice_id,
        invoice_number=invoice_number(order.invoice + 1),
        customer_id=client_ids[order.client],
        invoice_date=date_text(order.created),
        due_date=order.due,
        subtotal=decimal_text(order.subtotal),
        tax_amount="0.00",
        discount_amount=decimal_text(order.discount + refunded),
        total_amount=decimal_text(total),
        amount_paid=decimal_text(paid),
        amount_due=decimal_text(total - paid),
        status=status,
        reference_type="ORDER",
        reference_id=order_ids[order.index],
        notes=notes,
        created_by=rng.choice(user_ids),
        created_at=timestamp_text(order.invoiced),
        updated_at=timestamp_text(max(moments)),
    )


def generate(context: SeedContext) -> None:
    plan = planned(context)
    rng, profile, seed, world, summary = plan.rng, plan.profile, plan.seed, plan.world, plan.summary
    order_ids = plan.ids("orders")
    client_ids = plan.ids("clients")
    user_ids = plan.ids("users")
    batch_ids = plan.ids("batches")
    product_ids = plan.ids("products")
    batches = world.supply.batches
    names = product_names(context, product_ids)

    invoice_number = context.codes("invoices", "invoice_number", "INV-", 6)

    def rows(ids: IdBlock) -> Iterator[Row]:
        invoiced = (o for o in planned_orders(seed, profile) if o.settlement is not None)
        for invoice_id, order in zip(ids, invoiced, strict=True):
            yield invoice_row(
                rng, invoice_id, order, order_ids, client_ids, user_ids, invoice_number
            )

    invoice_ids = list(context.insert(INVOICES, summary.invoices, rows))

    def line_rows(ids: IdBlock) -> Iterator[Row]:
        line_ids = iter(ids)
        for order in order_lines(seed, profile):
            if order.invoice is None:
                continue
            invoice_id, at = invoice_ids[order.invoice], timestamp_text(order.invoiced)
            for line in order.lines:
                batch = batches[line.batch]
                yield INVOICE_LINE_ITEMS_ROW(
                    id=next(line_ids),
                    invoice_id=invoice_id,
                    product_id=product_ids[batch.product_index],
                    batch_id=batch_ids[line.batch],
                    description=names[product_ids[batch.product_index]],
                    quantity=decimal_text(line.quantity),
                    unit_price=decimal_text(line.unit_price),
                    line_total=decimal_text(line.total),
                    created_at=at,
                    updated_at=at,
                )

    context.insert(INVOICE_LINE_ITEMS, summary.invoice_lines, line_rows)
    mine = context.own_ids("invoices")
    # clients.total_owed: the sum of amount_due over the client's invoices that are not
    # VOID (TERP's "debt" filter); orders.invoice_id: the invoice made for the order
    context.add(
        "clients",
        "total_owed",
        "select customer_id, sum(amount_due) from invoices "
        "where id <@ cast(:mine as int8multirange) and status <> 'VOID' group by customer_id",
        mine=mine,
    )
    context.set(
        "orders",
        "invoice_id",
        "select reference_id, id from invoices where id <@ cast(:mine as int8multirange) "
        "and reference_type = 'ORDER'",
        mine=mine,
    )
