"""Inventory movements, replayed from the trading simulation in the order they happened
to each batch: INTAKE when a batch is received, SAMPLE and ADJUSTMENT (shrink found at
intake) right after, SALE for each line of a confirmed sale (reference_type 'ORDER',
reference_id the order), QUARANTINE when a batch's remaining stock is set aside, RETURN
(to its consignor) or DISPOSAL (written off) when ageing stock is cleared out unsold, and
REFUND_RETURN when a buyer returns goods (referencing the order).

quantity_before is the batch's running total, quantity_after = quantity_before +
quantity_change; the last quantity_after of each batch is the on_hand_qty the batches
revision wrote from the same replay. This revision comes last because SALE movements
point at orders."""

from collections.abc import Iterator

import sqlalchemy as sa

from seed_data.ids import IdBlock
from seed_data.seeding import Row, SeedContext, row_builder
from terp.datasets.notes import INVENTORY_MOVEMENT_NOTES
from terp.generators.parents import planned
from terp.plans.clock import timestamp_text
from terp.plans.recording import stock_moves
from terp.plans.units import decimal_text

INVENTORY_MOVEMENTS = sa.table(
    "inventory_movements",
    sa.column("id", sa.BigInteger),
    sa.column("batch_id", sa.BigInteger),
    sa.column("movement_type", sa.String),
    sa.column("quantity_change", sa.Numeric),
    sa.column("quantity_before", sa.Numeric),
    sa.column("quantity_after", sa.Numeric),
    sa.column("reference_type", sa.String),
    sa.column("reference_id", sa.BigInteger),
    sa.column("notes", sa.String),
    sa.column("performed_by", sa.BigInteger),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
TABLES = (INVENTORY_MOVEMENTS,)
# Rows each profile gives, measured with random seed 42 (terp/catalogue.py shows them;
# tests/test_profiles.py seeds the profiles and compares).
ROWS: dict[str, dict[str, int]] = {
    "inventory_movements": {"small": 221, "medium": 10_951, "large": 67_261, "xl": 514_968},
}
INVENTORY_MOVEMENTS_ROW = row_builder(INVENTORY_MOVEMENTS)
NOTES = {
    "INTAKE": "Initial intake",
    "SALE": "Sold via order",
    "SAMPLE": "Sample pulled for buyer",
    "ADJUSTMENT": "Cycle count adjustment",
    "QUARANTINE": "Moved to quarantine",
    "RETURN": "Unsold after five months, returned to consignor",
    "DISPOSAL": "Aged out unsold, written off",
    "REFUND_RETURN": "Returned by buyer",
}
RESTOCK_FAILED_NOTE = "Returned goods could not be restocked, disposed"
# Note texts come from terp/datasets/notes.py, which says where they come from.
assert {*NOTES.values(), RESTOCK_FAILED_NOTE} <= set(INVENTORY_MOVEMENT_NOTES)


def generate(context: SeedContext) -> None:
    plan = planned(context)
    rng, profile, seed = plan.rng, plan.profile, plan.seed
    batch_ids = plan.ids("batches")
    order_ids = plan.ids("orders")
    user_ids = plan.ids("users")

    def rows(ids: IdBlock) -> Iterator[Row]:
        running = [0] * len(batch_ids)
        for movement_id, move in zip(ids, stock_moves(seed, profile), strict=True):
            before = running[move.batch]
            after = running[move.batch] = before + move.change
            at = timestamp_text(move.moment)
            yield INVENTORY_MOVEMENTS_ROW(
                id=movement_id,
                batch_id=batch_ids[move.batch],
                movement_type=move.kind,
                quantity_change=decimal_text(move.change),
                quantity_before=decimal_text(before),
                quantity_after=decimal_text(after),
                reference_type=None if move.order is None else "ORDER",
                reference_id=None if move.order is None else order_ids[move.order],
                notes=RESTOCK_FAILED_NOTE
                if move.kind == "DISPOSAL" and move.order
                else NOTES[move.kind],
                performed_by=rng.choice(user_ids),
                created_at=at,
                updated_at=at,
            )

    context.insert(INVENTORY_MOVEMENTS, plan.summary.movements, rows)
