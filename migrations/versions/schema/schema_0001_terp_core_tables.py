"""TERP core tables, ported from drizzle/schema.ts to PostgreSQL.

Port rules: snake_case names; bigint identity ids; money numeric(15,2) and quantities
numeric(15,4) (TERP keeps some as varchar); 0/1 flags as boolean; timestamptz with a
nullable deleted_at for soft delete; enums as named CHECK constraints with exactly
TERP's values. Real foreign keys exist only where TERP has them; every other link is a
logical-only reference (a plain indexed bigint, no constraint) that the seeder validates.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import SchemaItem

revision: str = "schema_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("schema",)
depends_on: str | Sequence[str] | None = None

# Frozen copies of TERP's enum values: this revision must not follow later code changes.
USER_ROLE = ("user", "admin")
STRAIN_CATEGORY = ("Indica", "Sativa", "Hybrid")
PRODUCT_CATEGORY = ("Flower", "Concentrates", "Edibles", "Pre-Rolls", "Vapes")
BATCH_STATUS = (
    "AWAITING_INTAKE",
    "LIVE",
    "PHOTOGRAPHY_COMPLETE",
    "ON_HOLD",
    "QUARANTINED",
    "SOLD_OUT",
    "CLOSED",
)
COGS_MODE = ("FIXED", "RANGE")
PAYMENT_TERMS = ("COD", "NET_7", "NET_15", "NET_30", "CONSIGNMENT", "PARTIAL")
ORDER_TYPE = ("QUOTE", "SALE")
QUOTE_STATUS = ("DRAFT", "SENT", "ACCEPTED", "REJECTED", "EXPIRED", "CONVERTED")
SALE_STATUS = ("PENDING", "PARTIAL", "PAID", "OVERDUE", "CANCELLED")
FULFILLMENT_STATUS = ("PENDING", "PACKED", "SHIPPED")
INVOICE_STATUS = ("DRAFT", "SENT", "VIEWED", "PARTIAL", "PAID", "OVERDUE", "VOID")
INVOICE_REFERENCE_TYPE = ("ORDER", "MANUAL")
PAYMENT_TYPE = ("RECEIVED", "SENT")
PAYMENT_METHOD = ("CASH", "CHECK", "WIRE", "ACH", "CREDIT_CARD", "DEBIT_CARD", "OTHER")
MOVEMENT_TYPE = (
    "INTAKE",
    "SALE",
    "RETURN",
    "REFUND_RETURN",
    "ADJUSTMENT",
    "QUARANTINE",
    "RELEASE_FROM_QUARANTINE",
    "DISPOSAL",
    "TRANSFER",
    "SAMPLE",
)

BATCH_QTY_COLUMNS = (
    "on_hand_qty",
    "sample_qty",
    "reserved_qty",
    "quarantine_qty",
    "hold_qty",
    "defective_qty",
)

TABLES = (
    "users",
    "workflow_statuses",
    "vendors",
    "brands",
    "strains",
    "products",
    "lots",
    "batches",
    "batch_locations",
    "clients",
    "orders",
    "order_line_items",
    "invoices",
    "invoice_line_items",
    "payments",
    "inventory_movements",
)


def _enum(table: str, column: str, values: Sequence[str]) -> sa.Enum:
    # VARCHAR + CHECK instead of a PostgreSQL enum type: adding a value later is a
    # constraint swap, not an ALTER TYPE, and downgrades leave no orphan types behind.
    return sa.Enum(
        *values,
        name=f"{table}_{column}",
        native_enum=False,
        create_constraint=True,
        length=max(len(value) for value in values),
    )


def _id(table: str) -> list[SchemaItem]:
    return [
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _timestamps() -> list[sa.Column[datetime]]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    ]


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean, nullable=False, server_default=sa.false())


def _money(name: str) -> sa.Column[Decimal]:
    return sa.Column(name, sa.Numeric(15, 2), nullable=False, server_default=sa.text("0"))


def _qty(name: str) -> sa.Column[Decimal]:
    return sa.Column(name, sa.Numeric(15, 4), nullable=False, server_default=sa.text("0"))


def _nonnegative(table: str, column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} >= 0", name=f"ck_{table}_{column}_nonnegative")


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    op.create_table(
        "users",
        *_id("users"),
        sa.Column("open_id", sa.String(64), nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("email", sa.String(320)),
        sa.Column("login_method", sa.String(64)),
        sa.Column("role", _enum("users", "role", USER_ROLE), nullable=False, server_default="user"),
        sa.Column("last_signed_in", sa.DateTime(timezone=True)),
        *_timestamps(),
        sa.UniqueConstraint("open_id", name="uq_users_open_id"),
    )

    op.create_table(
        "workflow_statuses",
        *_id("workflow_statuses"),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("color", sa.String(20)),
        sa.Column("sort_order", sa.Integer, nullable=False, server_default=sa.text("0")),
        *_timestamps(),
        sa.UniqueConstraint("slug", name="uq_workflow_statuses_slug"),
    )

    op.create_table(
        "vendors",
        *_id("vendors"),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("contact_name", sa.String(255)),
        sa.Column("contact_email", sa.String(320)),
        sa.Column("contact_phone", sa.String(50)),
        sa.Column("payment_terms", sa.String(100)),
        sa.Column("notes", sa.Text),
        *_timestamps(),
        sa.UniqueConstraint("name", name="uq_vendors_name"),
    )

    op.create_table(
        "brands",
        *_id("brands"),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("vendor_id", sa.BigInteger),
        *_timestamps(),
    )
    _index("brands", "vendor_id")

    op.create_table(
        "strains",
        *_id("strains"),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("standardized_name", sa.String(255), nullable=False),
        sa.Column("aliases", postgresql.JSONB),
        sa.Column("category", _enum("strains", "category", STRAIN_CATEGORY)),
        sa.Column("base_strain_name", sa.String(255)),
        sa.Column("parent_strain_id", sa.BigInteger),
        *_timestamps(),
        sa.UniqueConstraint("name", name="uq_strains_name"),
    )
    _index("strains", "parent_strain_id")

    op.create_table(
        "products",
        *_id("products"),
        sa.Column("brand_id", sa.BigInteger, nullable=False),
        sa.Column("strain_id", sa.BigInteger),
        sa.Column("name_canonical", sa.String(500), nullable=False),
        sa.Column("category", _enum("products", "category", PRODUCT_CATEGORY), nullable=False),
        sa.Column("subcategory", sa.String(100)),
        sa.Column("uom_sellable", sa.String(20), nullable=False, server_default="EA"),
        *_timestamps(),
    )
    _index("products", "brand_id", "strain_id")

    op.create_table(
        "lots",
        *_id("lots"),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("vendor_id", sa.BigInteger, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("notes", sa.Text),
        *_timestamps(),
        sa.UniqueConstraint("code", name="uq_lots_code"),
    )
    _index("lots", "vendor_id")

    op.create_table(
        "batches",
        *_id("batches"),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("sku", sa.String(100), nullable=False),
        sa.Column("product_id", sa.BigInteger, nullable=False),
        sa.Column("lot_id", sa.BigInteger, nullable=False),
        sa.Column(
            "status",
            _enum("batches", "status", BATCH_STATUS),
            nullable=False,
            server_default="AWAITING_INTAKE",
        ),
        sa.Column("status_id", sa.BigInteger),
        sa.Column("grade", sa.String(20)),
        _flag("is_sample"),
        sa.Column(
            "cogs_mode",
            _enum("batches", "cogs_mode", COGS_MODE),
            nullable=False,
            server_default="FIXED",
        ),
        sa.Column("unit_cogs", sa.Numeric(15, 2)),
        sa.Column("unit_cogs_min", sa.Numeric(15, 2)),
        sa.Column("unit_cogs_max", sa.Numeric(15, 2)),
        sa.Column(
            "payment_terms", _enum("batches", "payment_terms", PAYMENT_TERMS), nullable=False
        ),
        _money("amount_paid"),
        *(_qty(column) for column in BATCH_QTY_COLUMNS),
        sa.Column("metadata", postgresql.JSONB),
        *_timestamps(),
        sa.UniqueConstraint("code", name="uq_batches_code"),
        sa.UniqueConstraint("sku", name="uq_batches_sku"),
        sa.ForeignKeyConstraint(
            ["status_id"],
            ["workflow_statuses.id"],
            name="fk_batches_status_id",
            ondelete="SET NULL",
        ),
        *(_nonnegative("batches", column) for column in BATCH_QTY_COLUMNS),
    )
    _index("batches", "product_id", "lot_id", "status_id")

    op.create_table(
        "batch_locations",
        *_id("batch_locations"),
        sa.Column("batch_id", sa.BigInteger, nullable=False),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("zone", sa.String(50)),
        sa.Column("rack", sa.String(50)),
        sa.Column("shelf", sa.String(50)),
        sa.Column("bin", sa.String(50)),
        _qty("qty"),
        *_timestamps(),
    )
    _index("batch_locations", "batch_id")

    op.create_table(
        "clients",
        *_id("clients"),
        sa.Column("teri_code", sa.String(50), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("phone", sa.String(50)),
        sa.Column("address", sa.Text),
        _flag("is_buyer"),
        _flag("is_seller"),
        _flag("is_brand"),
        sa.Column("tags", postgresql.JSONB),
        _money("total_spent"),
        _money("total_owed"),
        _flag("vip_portal_enabled"),
        *_timestamps(),
        sa.UniqueConstraint("teri_code", name="uq_clients_teri_code"),
    )

    op.create_table(
        "orders",
        *_id("orders"),
        sa.Column("order_number", sa.String(50), nullable=False),
        sa.Column("order_type", _enum("orders", "order_type", ORDER_TYPE), nullable=False),
        _flag("is_draft"),
        sa.Column("client_id", sa.BigInteger, nullable=False),
        sa.Column("created_by", sa.BigInteger, nullable=False),
        sa.Column("packed_by", sa.BigInteger),
        sa.Column("shipped_by", sa.BigInteger),
        sa.Column("converted_from_order_id", sa.BigInteger),
        sa.Column("invoice_id", sa.BigInteger),
        _money("subtotal"),
        _money("tax"),
        _money("discount"),
        _money("total"),
        _money("total_cogs"),
        _money("total_margin"),
        sa.Column("quote_status", _enum("orders", "quote_status", QUOTE_STATUS)),
        sa.Column("sale_status", _enum("orders", "sale_status", SALE_STATUS)),
        sa.Column(
            "fulfillment_status",
            _enum("orders", "fulfillment_status", FULFILLMENT_STATUS),
            nullable=False,
            server_default="PENDING",
        ),
        sa.Column("payment_terms", _enum("orders", "payment_terms", PAYMENT_TERMS)),
        sa.Column("due_date", sa.Date),
        sa.Column("notes", sa.Text),
        *_timestamps(),
        sa.UniqueConstraint("order_number", name="uq_orders_order_number"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_orders_client_id"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name="fk_orders_created_by"),
        sa.ForeignKeyConstraint(["packed_by"], ["users.id"], name="fk_orders_packed_by"),
        sa.ForeignKeyConstraint(["shipped_by"], ["users.id"], name="fk_orders_shipped_by"),
        sa.ForeignKeyConstraint(
            ["converted_from_order_id"], ["orders.id"], name="fk_orders_converted_from_order_id"
        ),
    )
    _index("orders", "client_id", "invoice_id", "converted_from_order_id")

    op.create_table(
        "order_line_items",
        *_id("order_line_items"),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("batch_id", sa.BigInteger, nullable=False),
        sa.Column("product_display_name", sa.String(500)),
        _qty("quantity"),
        sa.Column("cogs_per_unit", sa.Numeric(15, 2)),
        _money("unit_price"),
        _money("line_total"),
        sa.Column("margin_percent", sa.Numeric(7, 2)),
        sa.Column("margin_dollar", sa.Numeric(15, 2)),
        _flag("is_sample"),
        *_timestamps(),
    )
    _index("order_line_items", "order_id", "batch_id")

    op.create_table(
        "invoices",
        *_id("invoices"),
        sa.Column("invoice_number", sa.String(50), nullable=False),
        sa.Column("customer_id", sa.BigInteger, nullable=False),
        sa.Column("invoice_date", sa.Date, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        _money("subtotal"),
        _money("tax_amount"),
        _money("discount_amount"),
        _money("total_amount"),
        _money("amount_paid"),
        _money("amount_due"),
        sa.Column(
            "status",
            _enum("invoices", "status", INVOICE_STATUS),
            nullable=False,
            server_default="DRAFT",
        ),
        sa.Column("reference_type", _enum("invoices", "reference_type", INVOICE_REFERENCE_TYPE)),
        sa.Column("reference_id", sa.BigInteger),
        sa.Column("notes", sa.Text),
        sa.Column("created_by", sa.BigInteger, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("invoice_number", name="uq_invoices_invoice_number"),
    )
    _index("invoices", "customer_id")

    op.create_table(
        "invoice_line_items",
        *_id("invoice_line_items"),
        sa.Column("invoice_id", sa.BigInteger, nullable=False),
        sa.Column("product_id", sa.BigInteger),
        sa.Column("batch_id", sa.BigInteger),
        sa.Column("description", sa.Text),
        _qty("quantity"),
        _money("unit_price"),
        _money("line_total"),
        *_timestamps(),
    )
    _index("invoice_line_items", "invoice_id", "product_id", "batch_id")

    op.create_table(
        "payments",
        *_id("payments"),
        sa.Column("payment_number", sa.String(50), nullable=False),
        sa.Column("payment_type", _enum("payments", "payment_type", PAYMENT_TYPE), nullable=False),
        sa.Column("payment_date", sa.Date, nullable=False),
        sa.Column("amount", sa.Numeric(15, 2), nullable=False),
        sa.Column(
            "payment_method", _enum("payments", "payment_method", PAYMENT_METHOD), nullable=False
        ),
        sa.Column("reference_number", sa.String(100)),
        sa.Column("customer_id", sa.BigInteger),
        sa.Column("vendor_id", sa.BigInteger),
        sa.Column("invoice_id", sa.BigInteger),
        _flag("is_reconciled"),
        sa.Column("notes", sa.Text),
        sa.Column("created_by", sa.BigInteger, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("payment_number", name="uq_payments_payment_number"),
    )
    _index("payments", "customer_id", "vendor_id", "invoice_id")

    op.create_table(
        "inventory_movements",
        *_id("inventory_movements"),
        sa.Column("batch_id", sa.BigInteger, nullable=False),
        sa.Column(
            "movement_type",
            _enum("inventory_movements", "movement_type", MOVEMENT_TYPE),
            nullable=False,
        ),
        _qty("quantity_change"),
        _qty("quantity_before"),
        _qty("quantity_after"),
        sa.Column("reference_type", sa.String(50)),
        sa.Column("reference_id", sa.BigInteger),
        sa.Column("notes", sa.Text),
        sa.Column("performed_by", sa.BigInteger, nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
            name="fk_inventory_movements_batch_id",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["performed_by"], ["users.id"], name="fk_inventory_movements_performed_by"
        ),
        _nonnegative("inventory_movements", "quantity_after"),
    )
    _index("inventory_movements", "batch_id")


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
