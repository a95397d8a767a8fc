"""Orders and their line items, replayed from the trading simulation.

Amounts obey TERP's rules by construction: line_total = quantity x unit_price to the
cent, subtotal = sum of line totals, total = subtotal + tax - discount (tax 0, as in
TERP), total_cogs = sum of quantity x cogs_per_unit to the cent, total_margin = subtotal -
total_cogs. orders.invoice_id stays empty: invoices are written by a later revision, and
a revision never updates earlier rows; an invoice points at its order instead
(invoices.reference_type 'ORDER', reference_id).
"""

import random
from collections.abc import Callable, Iterator, Sequence

import sqlalchemy as sa

from seed_data.ids import IdBlock
from seed_data.seeding import Row, SeedContext, row_builder
from terp.datasets.notes import (
    COD_NOTE,
    CONVERTED_NOTE,
    EDIBLES_NOTE,
    QUOTE_NOTES,
    SALE_NOTES,
)
from terp.generators.parents import planned, product_names
from terp.generators.users import ADMINS
from terp.plans.clock import timestamp_text
from terp.plans.recording import order_lines, planned_orders
from terp.plans.trading import PlannedLine, PlannedOrder
from terp.plans.units import decimal_text, times_price

ORDERS = sa.table(
    "orders",
    sa.column("id", sa.BigInteger),
    sa.column("order_number", sa.String),
    sa.column("order_type", sa.String),
    sa.column("is_draft", sa.Boolean),
    sa.column("client_id", sa.BigInteger),
    sa.column("created_by", sa.BigInteger),
    sa.column("packed_by", sa.BigInteger),
    sa.column("shipped_by", sa.BigInteger),
    sa.column("converted_from_order_id", sa.BigInteger),
    sa.column("invoice_id", sa.BigInteger),
    sa.column("subtotal", sa.Numeric),
    sa.column("tax", sa.Numeric),
    sa.column("discount", sa.Numeric),
    sa.column("total", sa.Numeric),
    sa.column("total_cogs", sa.Numeric),
    sa.column("total_margin", sa.Numeric),
    sa.column("quote_status", sa.String),
    sa.column("sale_status", sa.String),
    sa.column("fulfillment_status", sa.String),
    sa.column("payment_terms", sa.String),
    sa.column("due_date", sa.Date),
    sa.column("notes", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
ORDER_LINE_ITEMS = sa.table(
    "order_line_items",
    sa.column("id", sa.BigInteger),
    sa.column("order_id", sa.BigInteger),
    sa.column("batch_id", sa.BigInteger),
    sa.column("product_display_name", sa.String),
    sa.column("quantity", sa.Numeric),
    sa.column("cogs_per_unit", sa.Numeric),
    sa.column("unit_price", sa.Numeric),
    sa.column("line_total", sa.Numeric),
    sa.column("margin_percent", sa.Numeric),
    sa.column("margin_dollar", sa.Numeric),
    sa.column("is_sample", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
TABLES = (
    ORDERS,
    ORDER_LINE_ITEMS,
)
# Rows each profile gives, measured with random seed 42 (terp/catalogue.py shows them;
# tests/test_profiles.py seeds the profiles and compares).
ROWS: dict[str, dict[str, int]] = {
    "orders": {"small": 80, "medium": 4_400, "large": 26_000, "xl": 200_000},
    "order_line_items": {"small": 211, "medium": 13_238, "large": 78_919, "xl": 609_137},
}
ORDERS_ROW = row_builder(ORDERS)
ORDER_LINE_ITEMS_ROW = row_builder(ORDER_LINE_ITEMS)
NOTE_SHARE = 0.2
# Who creates an order: mostly the client's own sales rep, sometimes another rep covering,
# rarely an admin (fixing or entering an order by hand).
OWN_REP_SHARE = 0.8
ADMIN_SHARE = 0.03


def last_change(order: PlannedOrder) -> int:
    """When the order last changed: its last payment, its invoice, or its creation."""
    if order.settlement and order.settlement.payments:
        return max(order.invoiced, order.settlement.payments[-1][0])
    return order.invoiced if order.settlement else order.created


def order_note(rng: random.Random, order: PlannedOrder, has_edibles: bool) -> str | None:
    """A note that fits the order's state (texts: terp/datasets/notes.py)."""
    if order.converted_from is not None:
        return CONVERTED_NOTE
    if rng.random() >= NOTE_SHARE:
        return None
    if order.order_type == "QUOTE":
        return rng.choice(QUOTE_NOTES)
    fitting = [*SALE_NOTES]
    if order.terms == "COD":
        fitting.append(COD_NOTE)
    if has_edibles:
        fitting.append(EDIBLES_NOTE)
    return rng.choice(fitting)


class Staff:
    """Who creates, packs and ships orders: admins are the first ADMINS users (the users
    revision's order), sales reps the rest; each client has its own rep."""

    def __init__(self, user_ids: Sequence[int]) -> None:
        admins = min(ADMINS, len(user_ids) - 1)
        self.admins, self.reps = user_ids[:admins], user_ids[admins:]

    def creator(self, rng: random.Random, client: int) -> int:
        draw = rng.random()
        if self.admins and draw < ADMIN_SHARE:
            return rng.choice(self.admins)
        if draw < ADMIN_SHARE + OWN_REP_SHARE:
            return self.reps[client % len(self.reps)]
        return rng.choice(self.reps)

    def handler(self, rng: random.Random) -> int:
        return rng.choice(self.reps)


def order_row(
    rng: random.Random,
    order: PlannedOrder,
    order_ids: IdBlock,
    client_ids: Sequence[int],
    staff: Staff,
    order_number: Callable[[int], str],
    has_edibles: bool,
) -> Row:
    packed = order.fulfillment in ("PACKED", "SHIPPED")
    return ORDERS_ROW(
        id=order_ids[order.index],
        order_number=order_number(order.index + 1),
        order_type=order.order_type,
        is_draft=order.is_draft,
        client_id=client_ids[order.client],
        created_by=staff.creator(rng, order.client),
        packed_by=staff.handler(rng) if packed else None,
        shipped_by=staff.handler(rng) if order.fulfillment == "SHIPPED" else None,
        converted_from_order_id=None
        if order.converted_from is None
        else order_ids[order.converted_from],
        invoice_id=None,
        subtotal=decimal_text(order.subtotal),
        tax="0.00",
        discount=decimal_text(order.discount),
        total=decimal_text(order.total),
        total_cogs=decimal_text(order.total_cogs),
        total_margin=decimal_text(order.subtotal - order.total_cogs),
        quote_status=order.quote_status,
        sale_status=order.sale_status,
        fulfillment_status=order.fulfillment,
        payment_terms=order.terms,
        due_date=order.due,
        notes=order_note(rng, order, has_edibles),
        created_at=timestamp_text(order.created),
        updated_at=timestamp_text(last_change(order)),
    )


def margin_percent(margin: int, total: int) -> str:
    """margin / total in percent, to 0.01 (half up)."""
    if total <= 0:
        return "0.00"
    basis_points = (2 * margin * 10_000 + total) // (2 * total)
    return decimal_text(basis_points)


def line_row(
    line_id: int,
    order_id: int,
    line: PlannedLine,
    batch_id: int,
    product_name: str,
    at: str,  # the order's creation, as timestamp text (one per order, not per line)
) -> Row:
    total = line.total
    margin = total - times_price(line.quantity, line.cogs)
    return ORDER_LINE_ITEMS_ROW(
        id=line_id,
        order_id=order_id,
        batch_id=batch_id,
        product_display_name=product_name,
        quantity=decimal_text(line.quantity),
        cogs_per_unit=decimal_text(line.cogs),
        unit_price=decimal_text(line.unit_price),
        line_total=decimal_text(total),
        margin_percent=margin_percent(margin, total),
        margin_dollar=decimal_text(margin),
        is_sample=False,
        created_at=at,
        updated_at=at,
    )


def generate(context: SeedContext) -> None:
    plan = planned(context)
    rng, profile, seed, world, summary = plan.rng, plan.profile, plan.seed, plan.world, plan.summary
    client_ids = plan.ids("clients")
    user_ids = plan.ids("users")
    batch_ids = plan.ids("batches")
    product_ids = plan.ids("products")
    names = product_names(context, product_ids)
    batch_names = [names[product_ids[batch.product_index]] for batch in world.supply.batches]
    edible_batches = {
        index
        for index, batch in enumerate(world.supply.batches)
        if world.products[batch.product_index].category == "Edibles"
    }
    staff = Staff(user_ids)

    order_number = context.codes("orders", "order_number", "ORD-", 6)

    def order_rows(ids: IdBlock) -> Iterator[Row]:
        for order in planned_orders(seed, profile):
            has_edibles = any(line.batch in edible_batches for line in order.lines)
            yield order_row(rng, order, ids, client_ids, staff, order_number, has_edibles)

    order_ids = context.insert(ORDERS, summary.orders, order_rows)
    order_id_list = list(order_ids)

    def line_rows(ids: IdBlock) -> Iterator[Row]:
        line_ids = iter(ids)
        for order in order_lines(seed, profile):
            order_id, at = order_id_list[order.order], timestamp_text(order.created)
            for line in order.lines:
                yield line_row(
                    next(line_ids),
                    order_id,
                    line,
                    batch_ids[line.batch],
                    batch_names[line.batch],
                    at,
                )

    context.insert(ORDER_LINE_ITEMS, summary.order_lines, line_rows)
    # clients.total_spent: the sum of orders.total over the client's sales that are
    # neither drafts nor cancelled (TERP's "Total Spent"); added, so the app's part stays
    context.add(
        "clients",
        "total_spent",
        "select client_id, sum(total) from orders where id <@ cast(:mine as int8multirange) "
        "and order_type = 'SALE' and not is_draft and sale_status is distinct from 'CANCELLED' "
        "group by client_id",
        mine=context.own_ids("orders"),
    )
