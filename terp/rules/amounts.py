"""Money adds up: order and invoice sums, line totals to the cent, invoice balances and
statuses against the payments received, and no negative amounts. Rounding is
PostgreSQL's round(x, 2) (half away from zero) on the exact numeric product."""

from seed_data.validation.model import Rule

_LINE_SUMS = (
    "left join (select order_id, sum(line_total) as lines_total, "
    "round(sum(quantity * coalesce(cogs_per_unit, 0)), 2) as lines_cogs "
    "from order_line_items group by order_id) l on l.order_id = o.id"
)
_RECEIVED = (
    "left join (select invoice_id, sum(amount) as received from payments "
    "where payment_type = 'RECEIVED' and invoice_id is not null group by invoice_id) p "
    "on p.invoice_id = i.id"
)
# Refunds: money sent back to the buyer on its invoice (a SENT payment with a customer).
_REFUNDED = (
    "left join (select invoice_id, sum(amount) as refunded from payments "
    "where payment_type = 'SENT' and customer_id is not null and invoice_id is not null "
    "group by invoice_id) r on r.invoice_id = i.id"
)
# The order's sale status that each invoice status implies.
_SALE_STATUS_OF_INVOICE = (
    "case i.status when 'PAID' then 'PAID' when 'PARTIAL' then 'PARTIAL' "
    "when 'OVERDUE' then 'OVERDUE' else 'PENDING' end"
)
_UNSOLD = "(o.order_type = 'QUOTE' or o.is_draft or o.sale_status = 'CANCELLED')"


def _negative(table: str, condition: str, meaning: str) -> Rule:
    return Rule.over(
        f"no_negative_{table}", table, (), meaning, f"select id from {table} where {condition}"
    )


ORDER_RULES = (
    Rule.over(
        "order_line_total",
        "order_line_items",
        (),
        "line_total = quantity x unit_price, to the cent",
        "select id from order_line_items where line_total <> round(quantity * unit_price, 2)",
    ),
    Rule.over(
        "order_subtotal",
        "orders",
        ("order_line_items",),
        "order.subtotal = sum(line_total) of its lines",
        f"select o.id from orders o {_LINE_SUMS} where o.subtotal <> coalesce(l.lines_total, 0)",
    ),
    Rule.over(
        "order_total",
        "orders",
        (),
        "order.total = subtotal + tax - discount",
        "select id from orders where total <> subtotal + tax - discount",
    ),
    Rule.over(
        "order_total_cogs",
        "orders",
        ("order_line_items",),
        "order.total_cogs = sum(quantity x cogs_per_unit) of its lines, to the cent",
        f"select o.id from orders o {_LINE_SUMS} where o.total_cogs <> coalesce(l.lines_cogs, 0)",
    ),
    Rule.over(
        "order_total_margin",
        "orders",
        (),
        "order.total_margin = subtotal - total_cogs",
        "select id from orders where total_margin <> subtotal - total_cogs",
    ),
    Rule.over(
        "order_status_fits_type",
        "orders",
        (),
        "a quote has a quote_status, a sale a sale_status",
        "select id from orders where (order_type = 'QUOTE' and quote_status is null) "
        "or (order_type = 'SALE' and sale_status is null)",
    ),
    Rule.over(
        "order_handlers_fit_fulfillment",
        "orders",
        (),
        "an order packed or shipped names who packed it, and only a shipped one who shipped it",
        "select id from orders where (packed_by is not null) "
        "<> (fulfillment_status in ('PACKED', 'SHIPPED')) "
        "or (shipped_by is not null) <> (fulfillment_status = 'SHIPPED')",
    ),
    _negative(
        "orders",
        "subtotal < 0 or tax < 0 or discount < 0 or total < 0 or total_cogs < 0",
        "order amounts are not negative",
    ),
    _negative(
        "order_line_items",
        "quantity <= 0 or unit_price < 0 or cogs_per_unit < 0",
        "a line sells a positive quantity at a non-negative price and cost",
    ),
)

INVOICE_RULES = (
    Rule.over(
        "invoice_line_total",
        "invoice_line_items",
        (),
        "line_total = quantity x unit_price, to the cent",
        "select id from invoice_line_items where line_total <> round(quantity * unit_price, 2)",
    ),
    Rule.over(
        "invoice_subtotal",
        "invoices",
        ("invoice_line_items",),
        "an invoice with lines has subtotal = sum(line_total) of its lines",
        "select i.id from invoices i join (select invoice_id, sum(line_total) as lines_total "
        "from invoice_line_items group by invoice_id) l on l.invoice_id = i.id "
        "where i.subtotal <> l.lines_total",
    ),
    Rule.over(
        "invoice_total",
        "invoices",
        (),
        "invoice.total_amount = subtotal + tax_amount - discount_amount",
        "select id from invoices where total_amount <> subtotal + tax_amount - discount_amount",
    ),
    Rule.over(
        "invoice_amount_due",
        "invoices",
        (),
        "invoice.amount_due = total_amount - amount_paid",
        "select id from invoices where amount_due <> total_amount - amount_paid",
    ),
    Rule.over(
        "invoice_amount_paid",
        "invoices",
        ("payments",),
        "invoice.amount_paid = sum of its RECEIVED payments, less the refunds sent back on it",
        f"select i.id from invoices i {_RECEIVED} {_REFUNDED} "
        "where i.amount_paid <> coalesce(p.received, 0) - coalesce(r.refunded, 0)",
    ),
    Rule.over(
        "invoice_status",
        "invoices",
        (),
        "status follows the balance: PAID when nothing is due, PARTIAL when part is paid, "
        "DRAFT/SENT/VIEWED/OVERDUE only while nothing is paid",
        "select id from invoices where status <> 'VOID' and ("
        "(status = 'PAID') <> (amount_due = 0 and total_amount > 0) "
        "or (status = 'PARTIAL') <> (amount_paid > 0 and amount_due > 0) "
        "or (status in ('DRAFT', 'SENT', 'VIEWED', 'OVERDUE') and amount_paid <> 0))",
    ),
    Rule.over(
        "invoice_matches_order",
        "invoices",
        ("orders", "payments"),
        "an order's invoice bills its client for its total, less the refunds on it",
        f"select i.id from invoices i join orders o on o.id = i.reference_id {_REFUNDED} "
        "where i.reference_type = 'ORDER' and i.status <> 'VOID' "
        "and (i.total_amount <> o.total - coalesce(r.refunded, 0) "
        "or i.customer_id <> o.client_id)",
    ),
    Rule.over(
        "sale_status_matches_invoice",
        "orders",
        ("invoices",),
        "an invoiced sale's sale_status follows its invoice (PAID, PARTIAL, OVERDUE, else PENDING)",
        "select o.id from orders o join invoices i on i.reference_type = 'ORDER' "
        "and i.reference_id = o.id and i.status <> 'VOID' "
        f"where o.order_type = 'SALE' and o.sale_status is distinct from {_SALE_STATUS_OF_INVOICE}",
    ),
    Rule.over(
        "unsold_orders_not_invoiced",
        "orders",
        ("invoices",),
        "quotes, draft and cancelled orders have no invoice (other than VOID)",
        f"select o.id from orders o where {_UNSOLD} and exists (select 1 from invoices i "
        "where i.reference_type = 'ORDER' and i.reference_id = o.id and i.status <> 'VOID')",
    ),
    _negative(
        "invoices",
        "subtotal < 0 or tax_amount < 0 or discount_amount < 0 or total_amount < 0 "
        "or amount_paid < 0 or amount_due < 0",
        "invoice amounts are not negative (amount_due < 0 would be an overpayment)",
    ),
    _negative(
        "invoice_line_items",
        "quantity < 0 or unit_price < 0",
        "invoice lines have non-negative quantities and prices",
    ),
)

PAYMENT_RULES = (
    Rule.over(
        "refund_on_a_paid_invoice",
        "payments",
        ("invoices",),
        "a refund goes back to the invoice's customer, on an invoice paid in full, no later "
        "than the day it was paid",
        "select p.id from payments p join invoices i on i.id = p.invoice_id "
        "where p.payment_type = 'SENT' and p.customer_id is not null "
        "and (p.customer_id <> i.customer_id or i.status <> 'PAID' or p.amount <= 0 "
        "or p.payment_date < i.invoice_date)",
    ),
    Rule.over(
        "no_card_payments",
        "payments",
        (),
        "no payment by card: card networks do not process cannabis business-to-business payments",
        "select id from payments where payment_method in ('CREDIT_CARD', 'DEBIT_CARD')",
    ),
    Rule.over(
        "payment_customer_matches_invoice",
        "payments",
        ("invoices",),
        "a payment received on an invoice comes from the invoice's customer",
        "select p.id from payments p join invoices i on i.id = p.invoice_id "
        "where p.payment_type = 'RECEIVED' and p.customer_id is distinct from i.customer_id",
    ),
    _negative("payments", "amount <= 0", "a payment moves a positive amount"),
)

# Credit: a client holding debt more than 90 days past due buys COD only. For each invoice
# not paid in full by due + 90 days, the hold runs from then until the day its RECEIVED
# payments reached its total (never, if they have not): one running sum over payments.
_HOLDS = (
    "select i.customer_id, i.due_date + 90 as hold_from, "
    "coalesce(c.cleared, 'infinity'::date) as hold_until from invoices i left join ("
    "select invoice_id, min(payment_date) filter (where paid >= total) as cleared from ("
    "select p.invoice_id, p.payment_date, i.total_amount as total, sum(p.amount) over ("
    "partition by p.invoice_id order by p.payment_date, p.id) as paid from payments p "
    "join invoices i on i.id = p.invoice_id where p.payment_type = 'RECEIVED') running "
    "group by invoice_id) c on c.invoice_id = i.id "
    "where i.reference_type = 'ORDER' and coalesce(c.cleared, 'infinity'::date) > i.due_date + 90"
)
CREDIT_RULES = (
    Rule.over(
        "cod_while_on_hold",
        "orders",
        ("invoices", "payments"),
        "no sale on terms (other than COD) while its client holds debt more than 90 days past due",
        # each client's holds as one set of day ranges: one hash join with the orders
        "select s.id from orders s join (select customer_id, range_agg(daterange(hold_from, "
        f"hold_until, '()')) as held from ({_HOLDS}) h group by customer_id) h "
        "on h.customer_id = s.client_id "
        "where s.order_type = 'SALE' and not s.is_draft and s.sale_status <> 'CANCELLED' "
        "and s.payment_terms <> 'COD' and s.created_at::date <@ h.held",
    ),
    Rule.over(
        "written_off_when_long_past_due",
        "invoices",
        (),
        "an invoice written off (VOID, 'Written off: ...') still owes and was due 180 days "
        "or more before it was last changed",
        "select id from invoices where status = 'VOID' and notes like 'Written off%' "
        "and (amount_due <= 0 or updated_at::date < due_date + 180)",
    ),
)

# TERP derives these columns; each definition counts the app's rows too, so they are judged
# on the whole database (`validate`), and seeding keeps its part of them with recorded
# changes (seed_data/changes.py).
DERIVED_RULES = (
    Rule.over(
        "client_total_spent",
        "clients",
        ("orders",),
        "clients.total_spent = sum(orders.total) of the client's sales, neither drafts nor "
        "cancelled",
        "select c.id from clients c left join (select client_id, sum(total) as spent "
        "from orders where order_type = 'SALE' and not is_draft "
        "and sale_status is distinct from 'CANCELLED' group by client_id) o "
        "on o.client_id = c.id where c.total_spent <> coalesce(o.spent, 0)",
        whole_database=True,
    ),
    Rule.over(
        "client_total_owed",
        "clients",
        ("invoices",),
        "clients.total_owed = sum(amount_due) of the client's invoices that are not VOID",
        "select c.id from clients c left join (select customer_id, sum(amount_due) as owed "
        "from invoices where status <> 'VOID' group by customer_id) i "
        "on i.customer_id = c.id where c.total_owed <> coalesce(i.owed, 0)",
        whole_database=True,
    ),
    Rule.over(
        "order_invoice_link",
        "orders",
        ("invoices",),
        "orders.invoice_id is the invoice whose reference is that order (ORDER), the one "
        "not VOID when there are several",
        # set-based (one sort), not a lookup per order: invoices has no index on reference_id
        "select o.id from orders o left join (select distinct on (reference_id) reference_id, "
        "id from invoices where reference_type = 'ORDER' "
        "order by reference_id, status = 'VOID', id desc) i on i.reference_id = o.id "
        "where o.invoice_id is distinct from i.id",
        whole_database=True,
    ),
)

RULES = (*ORDER_RULES, *INVOICE_RULES, *PAYMENT_RULES, *CREDIT_RULES, *DERIVED_RULES)
