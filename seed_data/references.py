"""Which columns point at which tables. Real FK constraints are read from the live
catalog (so a table the app adds later is covered too); TERP's many logical-only links,
which no constraint enforces, are declared here once and used by rollback and validation."""

from dataclasses import dataclass

import sqlalchemy as sa


@dataclass(frozen=True)
class Reference:
    child_table: str
    column: str
    parent_table: str
    condition: str | None = None  # SQL on the child row, for polymorphic references


LOGICAL_REFERENCES: tuple[Reference, ...] = (
    Reference("brands", "vendor_id", "vendors"),
    Reference("strains", "parent_strain_id", "strains"),
    Reference("products", "brand_id", "brands"),
    Reference("products", "strain_id", "strains"),
    Reference("lots", "vendor_id", "vendors"),
    Reference("batches", "product_id", "products"),
    Reference("batches", "lot_id", "lots"),
    Reference("batch_locations", "batch_id", "batches"),
    Reference("orders", "invoice_id", "invoices"),
    Reference("order_line_items", "order_id", "orders"),
    Reference("order_line_items", "batch_id", "batches"),
    Reference("invoices", "customer_id", "clients"),
    Reference("invoices", "created_by", "users"),
    Reference("invoices", "reference_id", "orders", "reference_type = 'ORDER'"),
    Reference("invoice_line_items", "invoice_id", "invoices"),
    Reference("invoice_line_items", "product_id", "products"),
    Reference("invoice_line_items", "batch_id", "batches"),
    Reference("payments", "customer_id", "clients"),
    Reference("payments", "vendor_id", "vendors"),
    Reference("payments", "invoice_id", "invoices"),
    Reference("payments", "created_by", "users"),
    Reference("inventory_movements", "reference_id", "orders", "reference_type = 'ORDER'"),
)

_FOREIGN_KEYS_TO = sa.text(
    """
    select child.relname, att.attname
    from pg_constraint con
    join pg_class child on child.oid = con.conrelid
    join pg_attribute att on att.attrelid = con.conrelid and att.attnum = con.conkey[1]
    where con.contype = 'f'
      and cardinality(con.conkey) = 1
      and con.confrelid = cast(:table as regclass)
    order by 1, 2
    """
)

_EXISTING_TABLES = sa.text(
    "select relname from pg_class "
    "where relkind in ('r', 'p') and relname = any(:names) and pg_table_is_visible(oid)"
)


def references_to(connection: sa.Connection, table: str) -> list[Reference]:
    """Every column that points at `table`: real FKs, then logical links whose table exists."""
    found = [
        Reference(child, column, table)
        for child, column in connection.execute(_FOREIGN_KEYS_TO, {"table": table})
    ]
    logical = [ref for ref in LOGICAL_REFERENCES if ref.parent_table == table]
    names = [ref.child_table for ref in logical]
    existing = set(connection.scalars(_EXISTING_TABLES, {"names": names}))
    seen = {(ref.child_table, ref.column) for ref in found}
    found += [
        ref
        for ref in logical
        if ref.child_table in existing and (ref.child_table, ref.column) not in seen
    ]
    return found
