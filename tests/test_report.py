"""`python -m seed_data report`: every figure on a hand-made database whose right answers
are worked out below, the text output on a seeded database (its structure: the figures
follow the simulation), the failures, and the HTML page in a real headless Chromium."""

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.cli import main
from terp.report.charts import CHARTS
from terp.report.figures import Figures, MovementTally, collect
from terp.report.lines import average_sale, gini, lorenz, sections, top_share
from terp.report.page import load_renderer
from tests.conftest import InProcess, render, seed_data_command

END = date(2025, 12, 31)

# A year of a small business, with every figure's edge cases: a sale after hours, on a
# weekend, by an admin; payments after the end (rolled back); stock moved after the end;
# a quote, a draft and a cancelled sale (not sales); debts settled before, after and never.
# Sales (all on 2025 dates, UTC):
#   O1  client 1  Oct 1   4 lb flower (batch 1) at 1500, cogs 1000            NET_30
#   O2  client 1  Dec 31  2 lb flower (batch 1) at 1500 + 10 vapes at 30/15    NET_30
#   O3  client 2  Nov 15 03:00Z (Fri 19:00 Pacific), by the admin: 20 vapes at 30/20  COD
#   O4-O11 clients 3-10  Dec 1  1 lb outdoor (batch 2) at 1000, cogs 600     NET_15
#   O12 client 11 Dec 6 (Saturday)  0.5 lb outdoor                            NET_7
#   O13 client 12 Dec 10  5 vapes at 30/15                                    CONSIGNMENT
#   O14 quote, O15 draft, O16 cancelled (Sun Dec 21 21:00 Pacific): not sales
HAND_MADE = """
insert into users (id, open_id, role) values (1, 'u1', 'admin'), (2, 'u2', 'user'),
    (3, 'u3', 'user');
insert into vendors (id, name) values (1, 'Farm');
insert into brands (id, name, vendor_id) values (1, 'Label', 1);
insert into strains (id, name, standardized_name, parent_strain_id, created_at) values
    (1, 'S1', 's1', null, '2024-01-01Z'), (2, 'S2', 's2', 1, '2024-01-01Z'),
    (3, 'S3', 's3', null, '2024-01-01Z');
insert into products (id, brand_id, strain_id, name_canonical, category, subcategory,
    uom_sellable, created_at) values
    (1, 1, 1, 'S1 - Indoor - AA', 'Flower', 'Indoor', 'LB', '2024-01-01Z'),
    (2, 1, 2, 'S2 - Outdoor - A', 'Flower', 'Outdoor', 'LB', '2024-01-01Z'),
    (3, 1, 3, 'S3 - Vapes', 'Vapes', 'Cartridge', 'EA', '2024-01-01Z'),
    (4, 1, 3, 'S3 - Vapes', 'Vapes', 'Cartridge', 'EA', '2024-01-01Z');
insert into lots (id, code, vendor_id, date) values (1, 'LOT-00001', 1, '2025-01-01');
insert into batches (id, code, sku, product_id, lot_id, status, payment_terms, cogs_mode,
    unit_cogs, unit_cogs_min, unit_cogs_max, on_hand_qty, created_at) values
    (1, 'B1', 'K1', 1, 1, 'LIVE', 'CONSIGNMENT', 'FIXED', 1000, null, null, 15,
        '2025-01-01 00:00Z'),
    (2, 'B2', 'K2', 2, 1, 'LIVE', 'CONSIGNMENT', 'FIXED', 600, null, null, 20,
        '2025-09-15 12:00Z'),
    (3, 'B3', 'K3', 3, 1, 'LIVE', 'COD', 'FIXED', 15, null, null, 60, '2025-06-01 12:00Z'),
    (4, 'B4', 'K4', 2, 1, 'SOLD_OUT', 'COD', 'FIXED', 900, null, null, 0,
        '2025-03-10 12:00Z'),
    (5, 'B5', 'K5', 1, 1, 'LIVE', 'COD', 'FIXED', 1100, null, null, 5, '2026-01-05 12:00Z'),
    (6, 'B6', 'K6', 2, 1, 'AWAITING_INTAKE', 'COD', 'RANGE', null, 500, 700, 0,
        '2025-10-20 12:00Z');
insert into clients (id, teri_code, name)
    select n, 'C' || n, 'Client ' || n from generate_series(1, 12) n;

insert into orders (id, order_number, order_type, is_draft, client_id, created_by, subtotal,
    total, sale_status, quote_status, payment_terms, created_at) values
    (1, 'O1', 'SALE', false, 1, 2, 6000, 6000, 'PARTIAL', null, 'NET_30', '2025-10-01 17:00Z'),
    (2, 'O2', 'SALE', false, 1, 2, 3300, 3300, 'PENDING', null, 'NET_30', '2025-12-31 18:00Z'),
    (3, 'O3', 'SALE', false, 2, 1, 600, 600, 'PAID', null, 'COD', '2025-11-15 03:00Z'),
    (12, 'O12', 'SALE', false, 11, 3, 500, 500, 'OVERDUE', null, 'NET_7',
        '2025-12-06 17:00Z'),
    (13, 'O13', 'SALE', false, 12, 3, 150, 150, 'PENDING', null, 'CONSIGNMENT',
        '2025-12-10 17:00Z'),
    (14, 'O14', 'QUOTE', false, 12, 3, 1500, 1500, null, 'SENT', 'NET_30',
        '2025-12-20 17:00Z'),
    (15, 'O15', 'SALE', true, 12, 3, 1500, 1500, 'PENDING', null, 'NET_30',
        '2025-12-21 17:00Z'),
    (16, 'O16', 'SALE', false, 11, 3, 1500, 1500, 'CANCELLED', null, 'NET_30',
        '2025-12-22 05:00Z');
insert into orders (id, order_number, order_type, client_id, created_by, subtotal, total,
    sale_status, payment_terms, created_at)
    select n + 1, 'O' || (n + 1), 'SALE', n, 3, 1000, 1000, 'PENDING', 'NET_15',
        '2025-12-01 20:00Z' from generate_series(3, 10) n;

insert into order_line_items (order_id, batch_id, quantity, unit_price, cogs_per_unit,
    line_total) values
    (1, 1, 4, 1500, 1000, 6000), (2, 1, 2, 1500, 1000, 3000), (2, 3, 10, 30, 15, 300),
    (3, 3, 20, 30, 20, 600), (12, 2, 0.5, 1000, 600, 500), (13, 3, 5, 30, 15, 150),
    (14, 1, 1, 1500, 1000, 1500), (15, 1, 1, 1500, 1000, 1500), (16, 1, 1, 1500, 1000, 1500);
insert into order_line_items (order_id, batch_id, quantity, unit_price, cogs_per_unit,
    line_total) select n, 2, 1, 1000, 600, 1000 from generate_series(4, 11) n;

insert into invoices (id, invoice_number, customer_id, invoice_date, due_date, total_amount,
    amount_paid, amount_due, status, reference_type, reference_id, notes, created_by) values
    (1, 'I1', 1, '2025-10-01', '2025-10-31', 6000, 1000, 5000, 'PARTIAL', 'ORDER', 1, null, 1),
    (2, 'I2', 1, '2025-12-31', '2026-01-30', 3300, 0, 3300, 'SENT', 'ORDER', 2, null, 1),
    (3, 'I3', 2, '2025-11-15', '2025-11-15', 600, 600, 0, 'PAID', 'ORDER', 3, null, 1),
    (12, 'I12', 11, '2025-12-06', '2025-12-13', 500, 0, 500, 'OVERDUE', 'ORDER', 12, null, 1),
    (13, 'I13', 12, '2025-12-10', '2026-01-09', 150, 0, 150, 'SENT', 'ORDER', 13, null, 1),
    (14, 'I14', 11, '2025-03-01', '2025-04-01', 2000, 0, 2000, 'OVERDUE', 'MANUAL', null,
        null, 1),
    (15, 'I15', 12, '2025-07-01', '2025-08-15', 700, 200, 500, 'PARTIAL', 'MANUAL', null,
        null, 1),
    (16, 'I16', 2, '2025-06-01', '2025-07-01', 400, 100, 300, 'VOID', 'MANUAL', null,
        'Written off: uncollectable', 1),
    (17, 'I17', 3, '2025-11-01', '2025-12-01', 50, 0, 50, 'VOID', 'MANUAL', null,
        'Duplicate', 1),
    (18, 'I18', 1, '2025-05-01', '2025-06-01', 1200, 1200, 0, 'PAID', 'MANUAL', null, null, 1),
    (19, 'I19', 3, '2025-01-01', '2025-02-01', 800, 800, 0, 'PAID', 'MANUAL', null, null, 1),
    (20, 'I20', 1, '2026-01-03', '2026-02-03', 999, 0, 999, 'SENT', 'MANUAL', null, null, 1);
-- clients 3-6 paid after the end, 7-10 not at all
insert into invoices (id, invoice_number, customer_id, invoice_date, due_date, total_amount,
    amount_paid, amount_due, status, reference_type, reference_id, created_by)
    select n + 1, 'I' || (n + 1), n, '2025-12-01', '2025-12-16', 1000,
        case when n <= 6 then 1000 else 0 end, case when n <= 6 then 0 else 1000 end,
        case when n <= 6 then 'PAID' else 'OVERDUE' end, 'ORDER', n + 1, 1
    from generate_series(3, 10) n;

insert into payments (payment_number, payment_type, payment_date, amount, payment_method,
    customer_id, vendor_id, invoice_id, created_by) values
    ('P1', 'RECEIVED', '2025-10-15', 1000, 'ACH', 1, null, 1, 1),
    ('P2', 'RECEIVED', '2025-11-15', 600, 'CASH', 2, null, 3, 1),
    ('P3', 'RECEIVED', '2025-09-01', 200, 'CHECK', 12, null, 15, 1),
    ('P4', 'RECEIVED', '2025-07-10', 100, 'CASH', 2, null, 16, 1),
    ('P5', 'RECEIVED', '2025-09-20', 1200, 'ACH', 1, null, 18, 1),
    ('P6', 'RECEIVED', '2025-12-20', 800, 'CREDIT_CARD', 3, null, 19, 1),
    ('P7', 'SENT', '2025-11-25', 150, 'CHECK', 1, null, null, 1),
    ('P8', 'SENT', '2025-06-01', 5000, 'WIRE', null, 1, null, 1);
insert into payments (payment_number, payment_type, payment_date, amount, payment_method,
    customer_id, invoice_id, created_by)
    select 'P' || (n + 6), 'RECEIVED', '2026-01-05', 1000, 'ACH', n, n + 1, 1
    from generate_series(3, 6) n;

insert into inventory_movements (batch_id, movement_type, quantity_change, reference_type,
    reference_id, performed_by, created_at) values
    (1, 'INTAKE', 20, null, null, 1, '2025-01-01 00:00Z'),
    (1, 'SALE', -4, 'ORDER', 1, 1, '2025-10-01 17:00Z'),
    (1, 'SALE', -2, 'ORDER', 2, 1, '2025-12-31 18:00Z'),
    (1, 'ADJUSTMENT', 1, null, null, 1, '2026-01-10 12:00Z'),
    (2, 'INTAKE', 30, null, null, 1, '2025-09-15 12:00Z'),
    (2, 'SALE', -0.5, 'ORDER', 12, 1, '2025-12-06 17:00Z'),
    (2, 'ADJUSTMENT', -1.5, null, null, 1, '2025-12-15 12:00Z'),
    (3, 'INTAKE', 100, null, null, 1, '2025-06-01 12:00Z'),
    (3, 'SALE', -20, 'ORDER', 3, 1, '2025-11-15 03:00Z'),
    (3, 'RETURN', 4, 'ORDER', 3, 1, '2025-11-20 12:00Z'),
    (3, 'SALE', -5, 'ORDER', 13, 1, '2025-12-10 17:00Z'),
    (3, 'DISPOSAL', -9, null, null, 1, '2025-12-20 12:00Z'),
    (3, 'SALE', -10, 'ORDER', 2, 1, '2025-12-31 18:00Z'),
    (4, 'INTAKE', 10, null, null, 1, '2025-03-10 12:00Z'),
    (4, 'DISPOSAL', -10, null, null, 1, '2025-04-01 12:00Z'),
    (5, 'INTAKE', 5, null, null, 1, '2026-01-05 12:00Z');
insert into inventory_movements (batch_id, movement_type, quantity_change, reference_type,
    reference_id, performed_by, created_at)
    select 2, 'SALE', -1, 'ORDER', n, 1, '2025-12-01 20:00Z' from generate_series(4, 11) n;
"""


@pytest.fixture
def hand_made(alembic: InProcess, engine: sa.Engine) -> sa.Engine:
    alembic.upgrade("schema@head")
    with engine.begin() as connection:
        connection.exec_driver_sql(HAND_MADE)
    return engine


def figures_of(engine: sa.Engine, end: date) -> Figures:
    with engine.connect() as connection, connection.begin():
        connection.execute(sa.text("set transaction read only"))
        return collect(connection, end)


def run_report(
    database_url: URL | None, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    child_env = {"DATABASE_URL": render(database_url)} if database_url is not None else {}
    return seed_data_command("report", *args, env={**child_env, **(env or {})})


def test_every_figure_on_a_hand_made_database(hand_made: sa.Engine) -> None:
    figures = figures_of(hand_made, END)
    assert figures.confirmed_sales == 13
    assert figures.revenue == Decimal("18550")

    # category mix
    flower, vapes = figures.category("Flower"), figures.category("Vapes")
    assert flower is not None and vapes is not None
    assert [c.category for c in figures.categories] == ["Flower", "Vapes"]
    assert (flower.revenue, vapes.revenue) == (Decimal(17500), Decimal(1050))
    assert figures.non_flower_median_quantity == 10
    # cogs: flower 4 x 1000 + 2 x 1000 + 8 x 600 + 0.5 x 600, vapes 10 x 15 + 20 x 20 + 5 x 15
    assert flower.margin == pytest.approx(1 - 11100 / 17500)
    assert vapes.margin == pytest.approx(1 - 625 / 1050)
    # line margins: flower 1/3 twice and 0.4 nine times; vapes 1/3, 1/2, 1/2
    assert flower.margin_p10 == pytest.approx(1 / 3)
    assert flower.margin_p90 == pytest.approx(0.4)
    assert vapes.margin_p10 == pytest.approx(1 / 3 + 0.2 * (1 / 2 - 1 / 3))
    assert vapes.margin_p90 == pytest.approx(0.5)
    assert figures.revenue_by_month == (
        (date(2025, 10, 1), "Flower", Decimal(6000)),
        (date(2025, 11, 1), "Vapes", Decimal(600)),
        (date(2025, 12, 1), "Flower", Decimal(11500)),
        (date(2025, 12, 1), "Vapes", Decimal(450)),
    )

    # stock at the end: batch 1's adjustment after the end is taken back, batch 5 (received
    # after the end) left out; sold in the three months from Oct 1: 14.5 lb, 35 units
    assert flower.on_hand == Decimal(34)
    assert flower.monthly_sales == Decimal("14.5") / 3
    assert flower.months_on_hand == pytest.approx(34 / (14.5 / 3))
    assert vapes.on_hand == Decimal(60)
    assert vapes.months_on_hand == pytest.approx(60 / (35 / 3))
    assert figures.oldest_live_batch_months == pytest.approx(365 / (365.25 / 12))
    assert figures.returns == MovementTally(1, Decimal(0), Decimal(4))
    assert figures.write_offs == MovementTally(3, Decimal("11.5"), Decimal(9))

    # credit: clients 3-6 paid after the end, so they owed then
    assert figures.receivables == Decimal(19450)
    assert figures.overdue == Decimal(16000)
    assert figures.over_120 == Decimal(2500)
    assert (figures.clients_with_invoices, figures.clients_over_120) == (12, 2)
    assert figures.aging == (
        ("not due", Decimal(3450)),
        ("1-30", Decimal(8500)),
        ("31-60", Decimal(0)),
        ("61-90", Decimal(5000)),
        ("91-120", Decimal(0)),
        ("over 120", Decimal(2500)),
    )
    # client 3 (settled its old debt after its sale), 11 (never paid), 12 (partly paid);
    # not client 1 (settled before its sale) nor client 2 (a COD sale; its debt is VOID)
    assert figures.sales_on_credit_while_behind == 3
    assert figures.sales_on_credit_while_behind_total == Decimal(1650)
    assert (figures.written_off_invoices, figures.written_off_amount) == (1, Decimal(300))
    assert figures.void_invoices == 2

    # payments up to the end: 8, on a weekend P2 (cash), P5, P6, P8
    assert figures.payments == 8
    assert figures.weekend_payments == 4
    assert (figures.cash_payments, figures.cash_weekend_payments) == (2, 1)
    assert figures.other_weekend_payments == 3
    assert figures.credit_card_payments == 1
    assert figures.refund_payments == 1

    # whales: top 10 by revenue are clients 1-10 (11 sales, 17,900), then 11 and 12
    top, rest = average_sale(figures)
    assert top == Decimal(17900) / 11
    assert rest == Decimal(325)
    revenues = [client.revenue for client in figures.clients]
    assert revenues[0] == Decimal(9300) and sorted(revenues, reverse=True) == revenues
    assert top_share(revenues, 10) == pytest.approx(17900 / 18550)

    # harvest: 30 of 40 lb of outdoor intake in September; the RANGE batch counts at its middle
    assert (figures.outdoor_intake, figures.outdoor_harvest_intake) == (Decimal(40), Decimal(30))
    assert figures.outdoor_cogs_by_quarter == (
        (1, Decimal(900), 1),
        (3, Decimal(600), 1),
        (4, Decimal(600), 1),
    )

    assert figures.sales_returned == 1
    assert (figures.products, figures.distinct_product_names) == (4, 3)
    assert (figures.strains, figures.strains_with_parent) == (3, 1)
    # 16 orders: O3 (19:00) and O16 (21:00) after hours; O12, O14 (Saturday), O15 and O16
    # (Sunday, Pacific) on a weekend; O3 by the admin
    assert figures.orders == 16
    assert figures.orders_in_hours == 14
    assert figures.orders_on_weekdays == 12
    assert figures.orders_by_admins == 1


def test_an_earlier_end_takes_back_what_came_after(hand_made: sa.Engine) -> None:
    figures = figures_of(hand_made, date(2025, 11, 30))
    assert figures.confirmed_sales == 2 and figures.revenue == Decimal(6600)
    flower = figures.category("Flower")
    assert flower is not None
    # batch 1: 15 now, less -2 (Dec 31) and +1 (Jan 10); batch 2: 20, less -8, -0.5, -1.5
    assert flower.on_hand == Decimal(16 + 30)
    # I1 5,000 + I14 2,000 + I15 500 + I19 800 (paid on Dec 20, after this end)
    assert figures.receivables == Decimal(8300)
    assert figures.payments == 7 and figures.orders == 2  # P6 (Dec 20) comes after


def test_the_same_database_gives_the_same_page(hand_made: sa.Engine) -> None:
    figures = figures_of(hand_made, END)
    render = load_renderer()
    first = render(figures, list(sections(figures)), "set with --as-of")
    assert first == render(figures, list(sections(figures)), "set with --as-of")
    assert first.count('<figure class="chart"') == len(CHARTS)


def test_lorenz_and_gini() -> None:
    equal = [Decimal(5)] * 4
    assert lorenz(equal) == [(0.0, 0.0), (0.25, 0.25), (0.5, 0.5), (0.75, 0.75), (1.0, 1.0)]
    assert gini(equal) == pytest.approx(0)
    assert gini([Decimal(0), Decimal(0), Decimal(0), Decimal(10)]) == pytest.approx(0.75)
    assert gini([]) is None
    assert top_share([], 10) is None


def test_text_on_the_hand_made_database(hand_made: sa.Engine, database_url: URL) -> None:
    result = run_report(database_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "report as of 2025-12-31 (the day of the latest order; UTC days): "
        "13 confirmed sales, revenue $18,550.00"
    )
    for expected in (
        "  revenue share, Vapes: 5.7 % ($1,050.00)",
        "  non-flower share of revenue: 5.7 % (target >= 10 %): not met",
        "  median quantity of a non-flower line: 10 units",
        "  margin, Vapes: 40.5 % (line margins p10-p90: 36.7 % to 50.0 %)",
        "  margin spread between categories: 3.9 points (target >= 5 points): not met",
        "  flower on hand at the end: 34 lb",
        "  flower months on hand: 7.0 (target <= 4): not met",
        "  months on hand, Vapes: 5.1 (60 units on hand)",
        "  age of the oldest LIVE batch: 12.0 months (target <= 12 months): met",
        "  RETURN movements: 1 (0 lb, 4 units)",
        "  write-offs: 3 (11.5 lb, 9 units)",
        "  receivables at the end: $19,450.00",
        "  overdue share of receivables: 82.3 % ($16,000.00) (target <= 15 %, TERP): not met",
        "  clients holding debt more than 120 days past due: 16.7 % (2 of 12 clients with "
        "invoices) (target <= 25 %): met",
        "  debt more than 120 days past due, share of receivables: 12.9 % ($2,500.00) "
        "(target <= 30 %): met",
        "  credit sales while the client held debt more than 90 days past due: 3 ($1,650.00) "
        "(target 0): not met",
        "  written-off invoices: 1 ($300.00)",
        "  CASH payments on Saturday or Sunday: 50.0 % (1 of 2) (target <= 5 %): not met",
        "  other payments on Saturday or Sunday: 3 (target 0): not met",
        "  CREDIT_CARD payments: 1 (target 0): not met",
        "  whale ratio (top 10 / everyone else): 5.01 (target >= 1.3): met",
        "  outdoor flower received September to November: 75.0 % (of 40 lb) (target >= 50 %): met",
        "  outdoor unit cogs by intake quarter: Q1 $900.00, Q3 $600.00, Q4 $600.00",
        "  VOID invoices: 2 (15.4 % of confirmed sales)",
        "  distinct product names: 3 of 4 (75.0 %)",
        "  strains with a parent: 1 of 3",
        "  orders created 07:00-19:00 Pacific: 87.5 % (of 16 orders) (target >= 95 %): not met",
        "  orders created Monday to Friday (Pacific): 75.0 % (target >= 85 %): not met",
        "  orders created by admins: 6.2 % (target < 50 %, staff create most): met",
        "  revenue share of the top 10 clients: 96.5 % (TERP: 10 whales bring 70 %)",
    ):
        assert expected in lines, (expected, lines)
    assert lines[-1] == "report: 6 of 16 targets met"

    earlier = run_report(database_url, "--as-of", "2025-11-30")
    assert earlier.returncode == 0, earlier.stderr
    assert earlier.stdout.startswith(
        "report as of 2025-11-30 (set with --as-of; UTC days): 2 confirmed sales"
    )


SECTIONS = [
    "category mix",
    "stock",
    "credit",
    "payments",
    "whales",
    "harvest",
    "returns, refunds, VOID",
    "text and habits",
    "client concentration",
]
FIGURE_LINE = re.compile(
    r"  (?P<label>(?:[^:]|:(?! ))+): (?P<value>.+?)"
    r"( \((?P<target>target [^)]*|TERP: [^)]*)\))?(: (?P<verdict>met|not met|no data))?$"
)


def test_text_on_a_seeded_database(seeded_small: sa.Engine) -> None:
    result = run_report(seeded_small.url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert re.fullmatch(
        r"report as of \d{4}-\d\d-\d\d \(the day of the latest order; UTC days\): "
        r"[\d,]+ confirmed sales, revenue \$[\d,]+\.\d\d",
        lines[0],
    ), lines[0]
    titles = [line for line in lines[1:-1] if line and not line.startswith("  ")]
    assert titles == SECTIONS
    figures = [line for line in lines if line.startswith("  ")]
    judged = 0
    for line in figures:
        match = FIGURE_LINE.fullmatch(line)
        assert match, line
        if (match["target"] or "").startswith("target"):
            assert match["verdict"] in ("met", "not met", "no data"), line
            judged += 1
    assert judged == 16
    assert re.fullmatch(r"report: \d+ of \d+ targets met", lines[-1])
    for label in (
        "non-flower share of revenue",
        "flower months on hand",
        "age of the oldest LIVE batch",
        "clients holding debt more than 120 days past due",
        "debt more than 120 days past due, share of receivables",
        "credit sales while the client held debt more than 90 days past due",
        "written-off invoices",
        "CASH payments on Saturday or Sunday",
        "CREDIT_CARD payments",
        "whale ratio (top 10 / everyone else)",
        "outdoor flower received September to November",
        "orders created 07:00-19:00 Pacific",
        "orders created by admins",
        "revenue share of the top 10 clients",
    ):
        assert any(line.startswith(f"  {label}: ") for line in figures), label

    # counts and amounts only: no name, e-mail address or phone number of anyone
    with seeded_small.connect() as connection:
        personal = connection.scalars(
            sa.text(
                "select name from clients union select email from clients "
                "union select phone from clients union select name from users "
                "union select email from users union select name from vendors "
                "union select contact_name from vendors"
            )
        ).all()
    for value in personal:
        if value:
            assert value not in result.stdout, "the report printed a personal value"


def test_an_empty_terp_database_reports_no_data(
    alembic: InProcess, database_url: URL, tmp_path: Path
) -> None:
    alembic.upgrade("schema@head")
    page = tmp_path / "empty.html"
    result = run_report(database_url, "--html", str(page))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        f"report as of {datetime.now(UTC).date().isoformat()} (today: the database holds no order; "
    )
    assert "  non-flower share of revenue: n/a (target >= 10 %): no data" in lines
    assert (
        "  credit sales while the client held debt more than 90 days past due: 0 ($0.00) "
        "(target 0): met"
    ) in lines
    assert lines[-2] == "report: 3 of 3 targets met"  # the three that want none
    assert lines[-1] == f"report: HTML page written to {page} ({page.stat().st_size:,} bytes)"
    assert page.read_text().count("no data") >= len(CHARTS)

    nowhere = tmp_path / "missing" / "page.html"
    unwritable = run_report(database_url, "--html", str(nowhere))
    assert unwritable.returncode == 2
    assert unwritable.stderr == (
        f"FAILED: cannot write the HTML page to {nowhere}: No such file or directory\n"
    )


# A database without TERP's tables: tests/test_seed_data_commands.py, as for every command.
def test_a_partial_schema_cannot_be_reported(engine: sa.Engine, database_url: URL) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("create table lots (id bigint primary key, code text)"))
    result = run_report(database_url)
    assert result.returncode == 2
    assert result.stderr.startswith("FAILED: the report reads TERP's tables ")
    assert "this database lacks batches, " in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--as-of", "31/12/2025"), "FAILED: --as-of '31/12/2025' is not a date: write it as "),
        (
            ("--database-url", "postgresql://root:hunter2@127.0.0.1:1/terp"),
            "FAILED: cannot connect to",
        ),
    ],
)
def test_cannot_run(args: tuple[str, ...], expected: str) -> None:
    result = run_report(None, *args)
    assert result.returncode == 2
    assert result.stderr.startswith(expected), result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""
    assert "hunter2" not in result.stderr


def test_html_without_the_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # None in sys.modules makes `import matplotlib` raise ImportError, as when it is absent
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.delitem(sys.modules, "terp.report.charts", raising=False)
    monkeypatch.delattr("terp.report.charts", raising=False)
    unreachable = "postgresql://nobody@127.0.0.1:1/none"  # the extra is checked first
    exit_code = main(["report", "--database-url", unreachable, "--html", str(tmp_path / "p.html")])
    captured = capsys.readouterr()
    assert exit_code == 2
    assert captured.out == ""
    assert captured.err.startswith("FAILED: --html draws its charts with matplotlib")
    assert "pip install terp-seed[report]" in captured.err
    assert len(captured.err.splitlines()) == 1
    assert not (tmp_path / "p.html").exists()


# The HTML page, opened by a real browser -------------------------------------------------


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        "Chromium is needed to test the HTML report and is not installed: "
        "apt-get install -y chromium (CI's .ci/run installs it)",
        pytrace=False,
    )


def browse(page: Path, work: Path, *mode: str) -> tuple[str, list[str]]:
    """Open `page` in headless Chromium; its output, and every URL the page asked for.

    Chromium's own background requests (update checks, its clock) have no initiator ("not
    an origin"); a request the page makes has the page's origin, "null" for a file. Name
    resolution is switched off so that nothing leaves the machine either way."""
    net_log = work / f"net-{len(list(work.glob('net-*')))}.json"
    result = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={work / 'profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--log-net-log={net_log}",
            *mode,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(work)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    log = json.loads(net_log.read_text())
    event_types = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    requested = [
        event["params"]["url"]
        for event in log["events"]
        if event_types.get(event["type"]) == "URL_REQUEST_START_JOB"
        and "url" in event.get("params", {})
        and event["params"].get("initiator") != "not an origin"
        and not event["params"]["url"].startswith(("file:", "data:"))
    ]
    return result.stdout, requested


class Charts(HTMLParser):
    """The page's chart figures and what each holds."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, dict[str, int]] = {}
        self.current: str | None = None
        self.depth = 0
        self.resources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href", "xlink:href"):
            link = values.get(name)
            if link and not link.startswith("#"):
                self.resources.append(link)
        if tag == "figure" and (values.get("id") or "").startswith("chart-"):
            self.current, self.depth = str(values["id"]), 0
            self.figures[self.current] = {}
        if self.current:
            self.depth += tag == "figure"
            self.figures[self.current][tag] = self.figures[self.current].get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if self.current and tag == "figure":
            self.depth -= 1
            if self.depth == 0:
                self.current = None


def test_html_page_in_a_headless_browser(seeded_small: sa.Engine, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = run_report(seeded_small.url, "--html", str(page))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith(f"report: HTML page written to {page}")
    html = page.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html
    assert "<script" not in html and "@import" not in html and "url(http" not in html

    dom, requested = browse(page, tmp_path, "--dump-dom")
    assert requested == [], f"the page made network requests: {requested}"
    charts = Charts()
    charts.feed(dom)
    assert sorted(charts.figures) == sorted(f"chart-{name}" for name in CHARTS)
    for name, elements in charts.figures.items():
        assert elements.get("svg") == 1, (name, elements)
        assert elements.get("path", 0) + elements.get("rect", 0) >= 5, (name, elements)
        assert elements.get("text", 0) >= 3, (name, elements)  # titles and ticks stay text
    assert charts.resources == []
    assert "<title>TERP report as of " in dom
    for title in SECTIONS:
        assert f"<h2>{title}</h2>" in dom

    screenshot = tmp_path / "report.png"
    _, requested = browse(page, tmp_path, f"--screenshot={screenshot}", "--window-size=1280,2400")
    assert requested == []
    assert screenshot.read_bytes().startswith(b"\x89PNG") and screenshot.stat().st_size > 50_000


def test_the_browser_check_sees_a_page_that_loads_something(tmp_path: Path) -> None:
    """The network check above is worth something: a page with one remote image fails it."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><img src="http://example.invalid/pixel.png">')
    _, requested = browse(page, tmp_path, "--dump-dom")
    assert requested == ["http://example.invalid/pixel.png"]
