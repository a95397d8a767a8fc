"""TERP's logical-only links: columns that point at another table with no foreign key
to enforce it (TERP declares few real ones). Rollback refuses to delete a row one of them
still points at, and terp/rules/references.py checks each for orphans."""

from seed_data.references import Reference

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
