"""The report's figures, each one SQL query over TERP's tables as of an end date.

Every figure reads the tables as the app leaves them (never seed_ledger), so it describes
any TERP database, seeded or not. Definitions (docs/reporting.md explains each):

- A confirmed sale is an order with order_type SALE that is not a draft and whose
  sale_status is not CANCELLED; revenue is the sum of its lines' line_total; a line's
  category is its batch's product's category; margin is 1 - cogs / price,
  revenue-weighted (cogs = quantity x cogs_per_unit).
- The end is a UTC day, like every date the data holds (docs/data-model.md); rows created
  after it are left out. What happened after it is rolled back where the database keeps
  its history: stock is on_hand_qty less the movements after the end, and an invoice's
  balance is amount_due plus its RECEIVED payments dated after the end. With the default
  end (the latest order's day) that is on_hand_qty and amount_due as they stand.
- Pacific time only where the figure is about the working day (order hours, weekdays).

The caller runs `collect` inside one read-only transaction."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

# The tables every query below reads: a database missing one cannot be reported on.
TABLES = (
    "users",
    "strains",
    "products",
    "batches",
    "clients",
    "orders",
    "order_line_items",
    "invoices",
    "payments",
    "inventory_movements",
)

FLOWER = "Flower"
UNKNOWN_CATEGORY = "(no product)"
AGING_BUCKETS = ("not due", "1-30", "31-60", "61-90", "91-120", "over 120")

_LATEST_ORDER_DAY = sa.text("select (max(created_at) at time zone 'UTC')::date from orders")

# Confirmed sales up to the end and their lines with each line's category.
_SALES = """
sales as materialized (
    select o.id, o.client_id, o.total, o.created_at, o.payment_terms
    from orders o
    where o.order_type = 'SALE' and not o.is_draft
      and o.sale_status is distinct from 'CANCELLED'
      and o.created_at < :end_at
),
sale_lines as materialized (
    select s.id as order_id, s.client_id, s.created_at,
           coalesce(p.category, :unknown) as category,
           l.quantity, l.unit_price, l.line_total, l.cogs_per_unit,
           l.quantity * l.cogs_per_unit as cogs
    from sales s
    join order_line_items l on l.order_id = s.id
    left join batches b on b.id = l.batch_id
    left join products p on p.id = b.product_id
)
"""

_TOTALS = sa.text(
    f"""
with {_SALES}
select (select count(*) from sales) as sales,
       (select coalesce(sum(line_total), 0) from sale_lines) as revenue,
       (select percentile_cont(0.5) within group (order by quantity)
          from sale_lines where category <> :flower) as non_flower_median_quantity
"""
)

_CATEGORY_SALES = sa.text(
    f"""
with {_SALES},
line_margins as (
    select category, 1 - cogs_per_unit / unit_price as margin
    from sale_lines where unit_price > 0 and cogs_per_unit is not null
)
select c.category,
       coalesce(sum(l.line_total), 0) as revenue,
       sum(l.cogs) filter (where l.cogs is not null) as cogs,
       sum(l.line_total) filter (where l.cogs is not null) as costed_revenue,
       coalesce(sum(l.quantity) filter (
           where l.created_at >= :end_at - interval '3 months'), 0)
           as quantity_last_three_months,
       (select percentile_cont(0.1) within group (order by m.margin)
          from line_margins m where m.category = c.category) as margin_p10,
       (select percentile_cont(0.9) within group (order by m.margin)
          from line_margins m where m.category = c.category) as margin_p90
from (select distinct category from sale_lines) c
join sale_lines l on l.category = c.category
group by c.category
order by c.category
"""
)

_REVENUE_BY_MONTH = sa.text(
    f"""
with {_SALES}
select (date_trunc('month', created_at at time zone 'UTC'))::date as month, category,
       sum(line_total) as revenue
from sale_lines group by 1, 2 order by 1, 2
"""
)

# Stock at the end: on_hand_qty less what the movements after the end added.
_STOCK = sa.text(
    """
select coalesce(p.category, :unknown) as category,
       coalesce(sum(b.on_hand_qty - coalesce(later.change, 0)), 0) as on_hand
from batches b
left join products p on p.id = b.product_id
left join lateral (
    select sum(m.quantity_change) as change from inventory_movements m
    where m.batch_id = b.id and m.created_at >= :end_at
) later on true
where b.created_at < :end_at
group by 1 order by 1
"""
)

_OLDEST_LIVE = sa.text(
    "select min(created_at) from batches where status = 'LIVE' and created_at < :end_at"
)

# Flower is counted in pounds (its uom), everything else in units.
_MOVEMENTS = sa.text(
    """
select case when m.movement_type = 'RETURN' then 'returns' else 'write-offs' end as kind,
       coalesce(p.category, :unknown) = :flower as flower,
       count(*) as movements, sum(abs(m.quantity_change)) as quantity
from inventory_movements m
join batches b on b.id = m.batch_id
left join products p on p.id = b.product_id
where m.created_at < :end_at
  and (m.movement_type = 'RETURN'
       or (m.movement_type in ('ADJUSTMENT', 'DISPOSAL') and m.quantity_change < 0))
group by 1, 2
"""
)

# Each invoice dated by the end, with its balance at the end.
_INVOICES_AT_END = """
invoices_at_end as materialized (
    select i.id, i.customer_id, i.due_date, i.status,
           i.amount_due + coalesce(later.paid, 0) as due
    from invoices i
    left join lateral (
        select sum(p.amount) as paid from payments p
        where p.invoice_id = i.id and p.payment_type = 'RECEIVED' and p.payment_date > :end
    ) later on true
    where i.invoice_date <= :end and i.status <> 'VOID'
)
"""

_CREDIT = sa.text(
    f"""
with {_INVOICES_AT_END}
select coalesce(sum(due), 0) as receivables,
       coalesce(sum(due) filter (where due > 0 and due_date < :end), 0) as overdue,
       coalesce(sum(due) filter (where due > 0 and due_date < :end - 120), 0) as over_120,
       count(distinct customer_id) as clients_with_invoices,
       count(distinct customer_id) filter (where due > 0 and due_date < :end - 120)
           as clients_over_120
from invoices_at_end
"""
)

_AGING = sa.text(
    f"""
with {_INVOICES_AT_END}
select case when :end - due_date <= 0 then 0
            when :end - due_date <= 30 then 1
            when :end - due_date <= 60 then 2
            when :end - due_date <= 90 then 3
            when :end - due_date <= 120 then 4
            else 5 end as bucket,
       sum(due) as due
from invoices_at_end where due > 0 group by 1 order by 1
"""
)

# A sale on credit (any terms but COD) while the client held an invoice more than 90
# days past due that was not fully paid by the sale's day. `settled_on` is the day an
# invoice's RECEIVED payments first reached its total (payments of one day count
# together), so "held on day d" is one comparison instead of a sum per sale.
_SALES_ON_CREDIT_WHILE_BEHIND = sa.text(
    f"""
with {_SALES},
paid_so_far as (
    select p.invoice_id, p.payment_date,
           sum(p.amount) over (partition by p.invoice_id order by p.payment_date) as paid
    from payments p
    where p.payment_type = 'RECEIVED' and p.invoice_id is not null
),
debts as materialized (
    select i.customer_id, i.due_date,
           (select min(s.payment_date) from paid_so_far s
             where s.invoice_id = i.id and s.paid >= i.total_amount) as settled_on
    from invoices i
    where i.status <> 'VOID' and i.total_amount > 0
)
select count(*) as sales, coalesce(sum(s.total), 0) as total
from sales s
where s.payment_terms is distinct from 'COD'
  and exists (
    select 1 from debts d
    where d.customer_id = s.client_id
      and d.due_date + 90 < (s.created_at at time zone 'UTC')::date
      and (d.settled_on is null or d.settled_on > (s.created_at at time zone 'UTC')::date)
  )
"""
)

_WRITTEN_OFF = sa.text(
    """
select count(*) as invoices, coalesce(sum(total_amount - amount_paid), 0) as amount
from invoices
where status = 'VOID' and notes like 'Written off%' and invoice_date <= :end
"""
)

_PAYMENTS = sa.text(
    """
select count(*) as payments,
       count(*) filter (where weekend) as weekend,
       count(*) filter (where payment_method = 'CASH') as cash,
       count(*) filter (where payment_method = 'CASH' and weekend) as cash_weekend,
       count(*) filter (where payment_method <> 'CASH' and weekend) as other_weekend,
       count(*) filter (where payment_method = 'CREDIT_CARD') as credit_card,
       count(*) filter (where payment_type = 'SENT' and customer_id is not null) as refunds
from (
    select payment_method, payment_type, customer_id,
           extract(isodow from payment_date) in (6, 7) as weekend
    from payments where payment_date <= :end
) p
"""
)

_CLIENT_REVENUE = sa.text(
    f"""
with {_SALES}
select s.client_id, sum(s.total) as sales_total, count(*) as sales,
       coalesce(sum(r.revenue), 0) as revenue
from sales s
left join (select order_id, sum(line_total) as revenue from sale_lines group by order_id) r
    on r.order_id = s.id
group by s.client_id
order by revenue desc, s.client_id
"""
)

_OUTDOOR_INTAKE = sa.text(
    """
select coalesce(sum(m.quantity_change), 0) as quantity,
       coalesce(sum(m.quantity_change) filter (
           where extract(month from m.created_at at time zone 'UTC') between 9 and 11), 0)
           as harvest_quantity
from inventory_movements m
join batches b on b.id = m.batch_id
join products p on p.id = b.product_id
where m.movement_type = 'INTAKE' and p.category = :flower and p.subcategory = 'Outdoor'
  and m.created_at < :end_at
"""
)

# A RANGE batch may leave unit_cogs empty; the middle of its range stands in.
_OUTDOOR_COGS = sa.text(
    """
select extract(quarter from b.created_at at time zone 'UTC')::int as quarter,
       avg(coalesce(b.unit_cogs, (b.unit_cogs_min + b.unit_cogs_max) / 2)) as unit_cogs,
       count(*) as batches
from batches b join products p on p.id = b.product_id
where p.category = :flower and p.subcategory = 'Outdoor' and b.created_at < :end_at
  and coalesce(b.unit_cogs, b.unit_cogs_min, b.unit_cogs_max) is not null
group by 1 order by 1
"""
)

_RETURNS_AND_VOIDS = sa.text(
    f"""
with {_SALES}
select (select count(*) from sales s where exists (
            select 1 from inventory_movements m
            where m.reference_type = 'ORDER' and m.reference_id = s.id
              and m.movement_type in ('RETURN', 'REFUND_RETURN') and m.created_at < :end_at
        )) as sales_returned,
       (select count(*) from invoices where status = 'VOID' and invoice_date <= :end)
           as void_invoices
"""
)

_TEXT = sa.text(
    """
select (select count(*) from products where created_at < :end_at) as products,
       (select count(distinct name_canonical) from products where created_at < :end_at)
           as distinct_product_names,
       (select count(*) from strains where created_at < :end_at) as strains,
       (select count(*) from strains where created_at < :end_at
          and parent_strain_id is not null) as strains_with_parent
"""
)

_ORDER_HOURS = sa.text(
    """
select count(*) as orders,
       count(*) filter (where extract(hour from local) >= 7 and extract(hour from local) < 19)
           as in_hours,
       count(*) filter (where extract(isodow from local) between 1 and 5) as on_weekdays,
       count(*) filter (where by_admin) as by_admins
from (
    select o.created_at at time zone 'America/Los_Angeles' as local,
           coalesce(u.role = 'admin', false) as by_admin
    from orders o left join users u on u.id = o.created_by
    where o.created_at < :end_at
) o
"""
)


@dataclass(frozen=True)
class CategoryFigures:
    """One product category's sales, margins and stock (flower in lb, others in units)."""

    category: str
    revenue: Decimal
    margin: float | None  # revenue-weighted over the lines with a cogs
    margin_p10: float | None  # of the lines' own margins
    margin_p90: float | None
    on_hand: Decimal  # at the end
    monthly_sales: Decimal  # quantity sold a month, averaged over the last three months

    @property
    def months_on_hand(self) -> float | None:
        return float(self.on_hand / self.monthly_sales) if self.monthly_sales > 0 else None


@dataclass(frozen=True)
class MovementTally:
    movements: int
    pounds: Decimal  # flower
    units: Decimal  # everything else


@dataclass(frozen=True)
class ClientSales:
    """One client's confirmed sales: no name or code, only amounts."""

    revenue: Decimal
    sales: int
    sales_total: Decimal  # sum of orders.total (after discounts and tax)


@dataclass(frozen=True)
class Figures:
    end: date
    confirmed_sales: int
    revenue: Decimal
    categories: tuple[CategoryFigures, ...]  # by name
    non_flower_median_quantity: float | None
    revenue_by_month: tuple[tuple[date, str, Decimal], ...]
    oldest_live_batch_months: float | None
    returns: MovementTally
    write_offs: MovementTally
    receivables: Decimal
    overdue: Decimal
    over_120: Decimal
    clients_with_invoices: int
    clients_over_120: int
    aging: tuple[tuple[str, Decimal], ...]  # AGING_BUCKETS, in order
    sales_on_credit_while_behind: int
    sales_on_credit_while_behind_total: Decimal
    written_off_invoices: int
    written_off_amount: Decimal
    payments: int
    weekend_payments: int
    cash_payments: int
    cash_weekend_payments: int
    other_weekend_payments: int
    credit_card_payments: int
    refund_payments: int
    clients: tuple[ClientSales, ...]  # most revenue first
    outdoor_intake: Decimal  # lb
    outdoor_harvest_intake: Decimal  # lb received September to November
    outdoor_cogs_by_quarter: tuple[tuple[int, Decimal, int], ...]  # quarter, mean, batches
    sales_returned: int
    void_invoices: int
    products: int
    distinct_product_names: int
    strains: int
    strains_with_parent: int
    orders: int
    orders_in_hours: int
    orders_on_weekdays: int
    orders_by_admins: int

    def category(self, name: str) -> CategoryFigures | None:
        return next((c for c in self.categories if c.category == name), None)


def latest_order_day(connection: sa.Connection) -> date | None:
    day: date | None = connection.scalar(_LATEST_ORDER_DAY)
    return day


def _months_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400 / (365.25 / 12)


def collect(connection: sa.Connection, end: date) -> Figures:
    """Every figure as of the end of `end` (a UTC day)."""
    end_at = datetime.combine(end + timedelta(days=1), time(), UTC)
    params: dict[str, Any] = {
        "end": end,
        "end_at": end_at,
        "flower": FLOWER,
        "unknown": UNKNOWN_CATEGORY,
    }

    def one(query: sa.TextClause) -> sa.Row[Any]:
        return connection.execute(query, params).one()

    def rows(query: sa.TextClause) -> list[sa.Row[Any]]:
        return list(connection.execute(query, params))

    totals = one(_TOTALS)
    stock = {row.category: Decimal(row.on_hand) for row in rows(_STOCK)}
    categories = []
    for row in rows(_CATEGORY_SALES):
        margin = None
        if row.costed_revenue:
            margin = float(1 - row.cogs / row.costed_revenue)
        categories.append(
            CategoryFigures(
                category=row.category,
                revenue=Decimal(row.revenue),
                margin=margin,
                margin_p10=None if row.margin_p10 is None else float(row.margin_p10),
                margin_p90=None if row.margin_p90 is None else float(row.margin_p90),
                on_hand=stock.pop(row.category, Decimal(0)),
                monthly_sales=Decimal(row.quantity_last_three_months) / 3,
            )
        )
    # Categories in stock that sold nothing yet
    for category, on_hand in stock.items():
        categories.append(
            CategoryFigures(category, Decimal(0), None, None, None, on_hand, Decimal(0))
        )
    categories.sort(key=lambda c: c.category)

    oldest = connection.scalar(_OLDEST_LIVE, params)
    tallies: dict[str, dict[bool, tuple[int, Decimal]]] = {"returns": {}, "write-offs": {}}
    for row in rows(_MOVEMENTS):
        tallies[row.kind][row.flower] = (row.movements, Decimal(row.quantity))

    def tally(kind: str) -> MovementTally:
        parts = tallies[kind]
        flower, other = parts.get(True, (0, Decimal(0))), parts.get(False, (0, Decimal(0)))
        return MovementTally(flower[0] + other[0], flower[1], other[1])

    credit = one(_CREDIT)
    aging = {row.bucket: Decimal(row.due) for row in rows(_AGING)}
    behind = one(_SALES_ON_CREDIT_WHILE_BEHIND)
    written_off = one(_WRITTEN_OFF)
    payments = one(_PAYMENTS)
    intake = one(_OUTDOOR_INTAKE)
    returns = one(_RETURNS_AND_VOIDS)
    text = one(_TEXT)
    hours = one(_ORDER_HOURS)

    return Figures(
        end=end,
        confirmed_sales=totals.sales,
        revenue=Decimal(totals.revenue),
        categories=tuple(categories),
        non_flower_median_quantity=(
            None
            if totals.non_flower_median_quantity is None
            else float(totals.non_flower_median_quantity)
        ),
        revenue_by_month=tuple(
            (row.month, row.category, Decimal(row.revenue)) for row in rows(_REVENUE_BY_MONTH)
        ),
        oldest_live_batch_months=None if oldest is None else _months_between(oldest, end_at),
        returns=tally("returns"),
        write_offs=tally("write-offs"),
        receivables=Decimal(credit.receivables),
        overdue=Decimal(credit.overdue),
        over_120=Decimal(credit.over_120),
        clients_with_invoices=credit.clients_with_invoices,
        clients_over_120=credit.clients_over_120,
        aging=tuple(
            (name, aging.get(bucket, Decimal(0))) for bucket, name in enumerate(AGING_BUCKETS)
        ),
        sales_on_credit_while_behind=behind.sales,
        sales_on_credit_while_behind_total=Decimal(behind.total),
        written_off_invoices=written_off.invoices,
        written_off_amount=Decimal(written_off.amount),
        payments=payments.payments,
        weekend_payments=payments.weekend,
        cash_payments=payments.cash,
        cash_weekend_payments=payments.cash_weekend,
        other_weekend_payments=payments.other_weekend,
        credit_card_payments=payments.credit_card,
        refund_payments=payments.refunds,
        clients=tuple(
            ClientSales(Decimal(row.revenue), row.sales, Decimal(row.sales_total))
            for row in rows(_CLIENT_REVENUE)
        ),
        outdoor_intake=Decimal(intake.quantity),
        outdoor_harvest_intake=Decimal(intake.harvest_quantity),
        outdoor_cogs_by_quarter=tuple(
            (row.quarter, Decimal(row.unit_cogs), row.batches) for row in rows(_OUTDOOR_COGS)
        ),
        sales_returned=returns.sales_returned,
        void_invoices=returns.void_invoices,
        products=text.products,
        distinct_product_names=text.distinct_product_names,
        strains=text.strains,
        strains_with_parent=text.strains_with_parent,
        orders=hours.orders,
        orders_in_hours=hours.in_hours,
        orders_on_weekdays=hours.on_weekdays,
        orders_by_admins=hours.by_admins,
    )
