"""`python -m seed_data validate`, run as a user runs it, on seeded, corrupted and
hand-made databases."""

import subprocess
from collections.abc import Mapping

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from terp.rules import RULES
from tests.conftest import InProcess, render, seed_data_command


def run_validate(
    database_url: URL | None, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    child_env = {"DATABASE_URL": render(database_url)} if database_url is not None else {}
    return seed_data_command("validate", *args, env={**child_env, **(env or {})})


def test_clean_seeded_database_passes_and_corruption_is_reported(
    database_seeded_small: URL, alembic: InProcess, engine: sa.Engine, database_url: URL
) -> None:
    clean = run_validate(database_url)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout == f"validate: no violations in {len(RULES)} rules\n"
    # --seeded-only runs every rule but those judging the whole database, and says so
    whole = sum(rule.whole_database for rule in RULES)
    assert whole > 0
    seeded = run_validate(database_url, "--seeded-only")
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    assert seeded.stdout == (
        f"validate: no violations in {len(RULES) - whole} rules ({whole} skipped: nothing "
        "seeded in their tables, or they judge the whole database)\n"
    )

    with engine.begin() as connection:
        order_id = connection.scalar(sa.text("select min(id) from orders"))
        connection.execute(
            sa.text("update orders set total = total + 1 where id = :id"), {"id": order_id}
        )
        batch_id = connection.scalar(
            sa.text("select batch_id from order_line_items order by id limit 1")
        )
        connection.execute(sa.text("delete from batches where id = :id"), {"id": batch_id})
    broken = run_validate(database_url)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    lines = broken.stdout.splitlines()
    assert (
        f"rule order_total broken in orders (1 rows, e.g. id {order_id}): "
        "order.total = subtotal + tax - discount"
    ) in lines
    assert any(
        line.startswith("rule reference_order_line_items_batch_id broken in order_line_items (")
        for line in lines
    ), lines
    assert lines[-1].startswith("validate: ") and " rules broken" in lines[-1]


MADE_BY_HAND = """
insert into users (id, open_id, name) values (1, 'app-1', 'Ann Example');
insert into vendors (id, name) values (1, 'Hand Made Farm');
insert into brands (id, name, vendor_id) values (1, 'Hand Label', 1);
insert into strains (id, name, standardized_name) values (1, 'Blue Dream', 'blue dream');
insert into products (id, brand_id, strain_id, name_canonical, category, subcategory,
    uom_sellable) values (1, 1, 1, 'Blue Dream - Indoor - AA', 'Flower', 'Indoor', 'LB');
insert into lots (id, code, vendor_id, date) values (1, 'LOT-00001', 1, '2025-01-02');
insert into batches (id, code, sku, product_id, lot_id, status, payment_terms, unit_cogs,
    on_hand_qty, created_at) values (1, 'BATCH-000001', 'SKU-1', 1, 1, 'LIVE',
    'CONSIGNMENT', 1800, 8, '2025-01-02 10:00Z');
insert into batch_locations (batch_id, site, qty) values (1, 'Main Warehouse', 8);
insert into clients (id, teri_code, name, total_spent, total_owed)
    values (1, 'WHL0001', 'Hand Made Shop', 4800, 3800);
insert into orders (id, order_number, order_type, client_id, created_by, subtotal, total,
    total_cogs, total_margin, sale_status, invoice_id, created_at) values (1, 'ORD-000001',
    'SALE', 1, 1, 4800, 4800, 3600, 1200, 'PARTIAL', 1, '2025-01-03 10:00Z');
insert into order_line_items (order_id, batch_id, quantity, cogs_per_unit, unit_price,
    line_total) values (1, 1, 2, 1800, 2400, 4800);
insert into invoices (id, invoice_number, customer_id, invoice_date, due_date, subtotal,
    total_amount, amount_paid, amount_due, status, reference_type, reference_id, created_by)
    values (1, 'INV-1', 1, '2025-01-03', '2025-02-02', 4800, 4800, 1000, 3800, 'PARTIAL',
    'ORDER', 1, 1);
insert into invoice_line_items (invoice_id, product_id, batch_id, quantity, unit_price,
    line_total) values (1, 1, 1, 2, 2400, 4800);
insert into payments (payment_number, payment_type, payment_date, amount, payment_method,
    customer_id, invoice_id, created_by) values ('PAY-1', 'RECEIVED', '2025-01-10', 1000,
    'ACH', 1, 1, 1);
insert into inventory_movements (batch_id, movement_type, quantity_change, quantity_before,
    quantity_after, performed_by, created_at) values (1, 'INTAKE', 10, 0, 10, 1,
    '2025-01-02 10:00Z');
insert into inventory_movements (batch_id, movement_type, quantity_change, quantity_before,
    quantity_after, reference_type, reference_id, performed_by, created_at) values
    (1, 'SALE', -2, 10, 8, 'ORDER', 1, 1, '2025-01-03 10:00Z');
"""


def test_database_it_did_not_seed(
    database_at_schema_head: URL, alembic: InProcess, engine: sa.Engine, database_url: URL
) -> None:
    with engine.begin() as connection:
        for statement in MADE_BY_HAND.split(";"):
            if statement.strip():
                connection.execute(sa.text(statement))
    url = render(database_url)
    clean = run_validate(None, "--database-url", url, env={"DATABASE_URL": "postgres://x@h/y"})
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "no violations" in clean.stdout

    with engine.begin() as connection:
        connection.execute(sa.text("update payments set amount = 900"))
    broken = run_validate(database_url)
    assert broken.returncode == 1
    assert broken.stdout.startswith(
        "rule invoice_amount_paid broken in invoices (1 rows, e.g. id 1): "
        "invoice.amount_paid = sum of its RECEIVED payments, less the refunds sent back on it\n"
    )


# Each statement breaks one rule of the trade's newer behaviour on the hand-made database.
BROKEN_TRADE = (
    ("update payments set payment_method = 'CREDIT_CARD'", "no_card_payments", "payments", 1),
    # invoice 1 is 3,800 unpaid since 2025-02-02: in June its client buys COD only
    (
        "insert into orders (id, order_number, order_type, client_id, created_by, subtotal, "
        "total, total_cogs, total_margin, sale_status, payment_terms, created_at) values (2, "
        "'ORD-000002', 'SALE', 1, 1, 0, 0, 0, 0, 'PENDING', 'NET_30', '2025-06-02 18:00Z')",
        "cod_while_on_hold",
        "orders",
        2,
    ),
    # written off, but updated long before it was 180 days past due
    (
        "update invoices set status = 'VOID', notes = 'Written off: unpaid', "
        "updated_at = '2025-03-01 18:00Z'",
        "written_off_when_long_past_due",
        "invoices",
        1,
    ),
    # a refund on an invoice that is not paid in full
    (
        "insert into payments (id, payment_number, payment_type, payment_date, amount, "
        "payment_method, customer_id, invoice_id, created_by) values (9, 'REF-1', 'SENT', "
        "'2025-01-12', 10, 'ACH', 1, 1, 1)",
        "refund_on_a_paid_invoice",
        "payments",
        9,
    ),
    # the buyer sent back more than its order took from the batch
    (
        "insert into inventory_movements (id, batch_id, movement_type, quantity_change, "
        "quantity_before, quantity_after, reference_type, reference_id, performed_by, "
        "created_at) values (99, 1, 'REFUND_RETURN', 3, 8, 11, 'ORDER', 1, 1, "
        "'2025-01-20 10:00Z')",
        "returns_match_sales",
        "inventory_movements",
        99,
    ),
)


def test_trade_rules_catch_what_the_trade_forbids(
    database_at_schema_head: URL, alembic: InProcess, engine: sa.Engine, database_url: URL
) -> None:
    with engine.begin() as connection:
        for statement in MADE_BY_HAND.split(";"):
            if statement.strip():
                connection.execute(sa.text(statement))
    for statement, rule, table, row in BROKEN_TRADE:
        with engine.begin() as connection:
            connection.execute(sa.text(statement))
        result = run_validate(database_url)
        assert result.returncode == 1, result.stdout + result.stderr
        assert any(
            line.startswith(f"rule {rule} broken in {table} (1 rows, e.g. id {row}): ")
            for line in result.stdout.splitlines()
        ), (rule, result.stdout)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://root:hunter2@localhost/terp", "this tool drives PostgreSQL"),
        ("postgresql://root:hunter2@127.0.0.1:1/terp", "cannot connect to"),
    ],
)
def test_unusable_database_fails_cleanly(url: str, expected: str) -> None:
    result = run_validate(None, "--database-url", url)
    assert result.returncode == 2
    assert result.stderr.startswith("FAILED: ")
    assert expected in result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""
    assert "hunter2" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_database_without_terp_tables_is_not_a_pass(database_url: URL) -> None:
    result = run_validate(database_url)
    assert result.returncode == 2
    assert "FAILED: database " in result.stderr
    assert "holds none of TERP's tables" in result.stderr


def test_partial_schema_runs_what_it_can(engine: sa.Engine, database_url: URL) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("create table lots (id bigint primary key, code text)"))
        connection.execute(sa.text("insert into lots values (7, 'L7')"))
    result = run_validate(database_url)
    assert result.returncode == 1
    skipped = len(RULES) - 1
    assert result.stdout.splitlines() == [
        "rule lot_code_format broken in lots (1 rows, e.g. id 7): "
        "lots.code must look like LOT-00001",
        f"validate: 1 of 1 rules broken ({skipped} skipped: their tables do not exist)",
    ]
