"""Keys the database does not enforce, and TERP's code formats."""

from seed_data.validation.model import Rule


def _code(name: str, table: str, column: str, pattern: str, example: str) -> Rule:
    return Rule.over(
        name,
        table,
        (),
        f"{table}.{column} must look like {example}",
        f"select id from {table} where {column} !~ '{pattern}'",
    )


RULES = (
    Rule.over(
        "one_invoice_per_order",
        "invoices",
        (),
        "an order has at most one invoice that is not VOID",
        "select id from (select id, row_number() over (partition by reference_id order by id) n "
        "from invoices where reference_type = 'ORDER' and reference_id is not null "
        "and status <> 'VOID') i where n > 1",
    ),
    Rule.over(
        "one_intake_per_batch",
        "inventory_movements",
        (),
        "a batch is received (INTAKE) once",
        "select id from (select id, row_number() over (partition by batch_id order by id) n "
        "from inventory_movements where movement_type = 'INTAKE') m where n > 1",
    ),
    _code("lot_code_format", "lots", "code", "^LOT-[0-9]{5,}$", "LOT-00001"),
    _code("batch_code_format", "batches", "code", "^BATCH-[0-9]{6,}$", "BATCH-000001"),
    _code("order_number_format", "orders", "order_number", "^ORD-[0-9]{6,}$", "ORD-000001"),
    _code("teri_code_format", "clients", "teri_code", "^(WHL|REG)[0-9]{4,}$", "WHL0001 or REG0001"),
)
