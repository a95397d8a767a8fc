"""Dates are causal: lot date <= batch created <= order created <= invoice date <=
payment date, and stock moves no earlier than its batch or order. Calendar dates are
compared with timestamps as UTC days, the convention the seeder writes them in."""

from seed_data.validation.model import Rule

RULES = (
    Rule.over(
        "lot_before_batch",
        "batches",
        ("lots",),
        "a batch is created on or after its lot's date",
        "select b.id from batches b join lots l on l.id = b.lot_id "
        "where (b.created_at at time zone 'UTC')::date < l.date",
    ),
    Rule.over(
        "batch_before_order",
        "order_line_items",
        ("orders", "batches"),
        "an order is created no earlier than the batches on its lines",
        "select li.id from order_line_items li join orders o on o.id = li.order_id "
        "join batches b on b.id = li.batch_id where o.created_at < b.created_at",
    ),
    Rule.over(
        "order_before_invoice",
        "invoices",
        ("orders",),
        "an invoice is dated no earlier than its order's creation",
        "select i.id from invoices i join orders o on o.id = i.reference_id "
        "where i.reference_type = 'ORDER' "
        "and i.invoice_date < (o.created_at at time zone 'UTC')::date",
    ),
    Rule.over(
        "invoice_due_after_issue",
        "invoices",
        (),
        "an invoice falls due no earlier than its date",
        "select id from invoices where due_date < invoice_date",
    ),
    Rule.over(
        "invoice_before_payment",
        "payments",
        ("invoices",),
        "a payment is dated no earlier than its invoice",
        "select p.id from payments p join invoices i on i.id = p.invoice_id "
        "where p.payment_date < i.invoice_date",
    ),
    Rule.over(
        "batch_before_movement",
        "inventory_movements",
        ("batches",),
        "stock moves no earlier than its batch is created",
        "select m.id from inventory_movements m join batches b on b.id = m.batch_id "
        "where m.created_at < b.created_at",
    ),
    Rule.over(
        "order_before_sale_movement",
        "inventory_movements",
        ("orders",),
        "a sale moves stock no earlier than its order is created",
        "select m.id from inventory_movements m join orders o on o.id = m.reference_id "
        "where m.reference_type = 'ORDER' and m.created_at < o.created_at",
    ),
)
