"""Lots, batches and where batches sit (batch_locations), from the supply plan.

Stock columns come from replaying the trading simulation (terp.plans.summary):
on_hand_qty is what the batch's movements will add up to, sample_qty and
quarantine_qty what they set aside. Statuses follow TERP's newer seeders where stock
allows: empty batches are SOLD_OUT (some long-empty ones CLOSED), quarantined ones
QUARANTINED, just-arrived ones AWAITING_INTAKE; the rest mostly LIVE, some
PHOTOGRAPHY_COMPLETE or ON_HOLD, and 15 % of LIVE batches reserve 10-40 % of their stock.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from psycopg.types.json import Jsonb
from sqlalchemy.dialects import postgresql

from seed_data.ids import IdBlock
from seed_data.seeding import Row, SeedContext, row_builder
from seed_data.uniques import TakenValues, dashed
from terp.datasets.locations import (
    BIN_FORMAT,
    BINS_PER_SHELF,
    RACK_FORMAT,
    RACKS_PER_ZONE,
    SHELF_FORMAT,
    SHELVES_PER_RACK,
)
from terp.datasets.notes import LOT_NOTES
from terp.generators.parents import planned
from terp.plans.clock import ANCHOR_TS, DAY, date_text, timestamp_text
from terp.plans.products import ProductSpec
from terp.plans.stock import BatchOutcome
from terp.plans.supply import BatchPlan
from terp.plans.units import decimal_text, times_price

LOTS = sa.table(
    "lots",
    sa.column("id", sa.BigInteger),
    sa.column("code", sa.String),
    sa.column("vendor_id", sa.BigInteger),
    sa.column("date", sa.Date),
    sa.column("notes", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
BATCHES = sa.table(
    "batches",
    sa.column("id", sa.BigInteger),
    sa.column("code", sa.String),
    sa.column("sku", sa.String),
    sa.column("product_id", sa.BigInteger),
    sa.column("lot_id", sa.BigInteger),
    sa.column("status", sa.String),
    sa.column("status_id", sa.BigInteger),
    sa.column("grade", sa.String),
    sa.column("is_sample", sa.Boolean),
    sa.column("cogs_mode", sa.String),
    sa.column("unit_cogs", sa.Numeric),
    sa.column("unit_cogs_min", sa.Numeric),
    sa.column("unit_cogs_max", sa.Numeric),
    sa.column("payment_terms", sa.String),
    sa.column("amount_paid", sa.Numeric),
    sa.column("on_hand_qty", sa.Numeric),
    sa.column("sample_qty", sa.Numeric),
    sa.column("reserved_qty", sa.Numeric),
    sa.column("quarantine_qty", sa.Numeric),
    sa.column("hold_qty", sa.Numeric),
    sa.column("defective_qty", sa.Numeric),
    sa.column("metadata", postgresql.JSONB),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
BATCH_LOCATIONS = sa.table(
    "batch_locations",
    sa.column("id", sa.BigInteger),
    sa.column("batch_id", sa.BigInteger),
    sa.column("site", sa.String),
    sa.column("zone", sa.String),
    sa.column("rack", sa.String),
    sa.column("shelf", sa.String),
    sa.column("bin", sa.String),
    sa.column("qty", sa.Numeric),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
TABLES = (
    LOTS,
    BATCHES,
    BATCH_LOCATIONS,
)
# Rows each profile gives, measured with random seed 42 (terp/catalogue.py shows them;
# tests/test_profiles.py seeds the profiles and compares).
ROWS: dict[str, dict[str, int]] = {
    "lots": {"small": 14, "medium": 184, "large": 920, "xl": 6_900},
    "batches": {"small": 26, "medium": 361, "large": 2_761, "xl": 20_717},
    "batch_locations": {"small": 27, "medium": 370, "large": 2_804, "xl": 21_080},
}
BATCHES_ROW = row_builder(BATCHES)
LOTS_ROW = row_builder(LOTS)
BATCH_LOCATIONS_ROW = row_builder(BATCH_LOCATIONS)
# Batch status -> TERP's workflow status slug (schema_0002); empty batches leave the queue.
WORKFLOW_SLUGS = {
    "AWAITING_INTAKE": "intake-queue",
    "LIVE": "ready-for-sale",
    "PHOTOGRAPHY_COMPLETE": "packaging",
    "ON_HOLD": "on-hold",
    "QUARANTINED": "lab-testing",
}
CLOSED_AFTER = 90 * DAY
CLOSED_SHARE = 0.3
STOCKED_STATUSES = ("LIVE", "PHOTOGRAPHY_COMPLETE", "ON_HOLD")
STOCKED_WEIGHTS = (0.80, 0.12, 0.08)
RESERVED_SHARE = 0.15
SPLIT_SHARE = 0.2  # batches whose stock sits in two places
# Where stock is kept, TERP's sites and zones (terp/datasets/locations.py).
STORAGE_ZONES = (
    ("Main Warehouse", "A"),
    ("Main Warehouse", "B"),
    ("Main Warehouse", "C"),
    ("Main Warehouse", "D"),
    ("Secondary Warehouse", "B"),
)
COLD_ZONES = (("Cold Storage", "COLD-1"), ("Cold Storage", "COLD-2"))
RECEIVING = ("Receiving Bay", "RECV")
QUARANTINE = ("Quarantine", "Q")


def batch_status(rng: random.Random, plan: BatchPlan, outcome: BatchOutcome) -> str:
    if plan.awaiting:
        return "AWAITING_INTAKE"
    if outcome.quarantined:
        return "QUARANTINED"
    if outcome.cleared:  # what was left went back to its vendor, or was written off
        return "CLOSED"
    if outcome.on_hand == 0:
        emptied_long_ago = outcome.emptied is not None and outcome.emptied < (
            ANCHOR_TS - CLOSED_AFTER
        )
        return "CLOSED" if emptied_long_ago and rng.random() < CLOSED_SHARE else "SOLD_OUT"
    return rng.choices(STOCKED_STATUSES, STOCKED_WEIGHTS)[0]


def whole(quantity: int, product: ProductSpec) -> int:
    """Other products are counted in whole units."""
    return quantity if product.is_flower else quantity - quantity % 100


@dataclass(frozen=True)
class BatchCodes:
    """A batch's code and SKU, skipping those the app's rows hold."""

    batch: Callable[[int], str]
    skus: TakenValues


def batch_row(
    rng: random.Random,
    batch_id: int,
    serial: int,
    plan: BatchPlan,
    outcome: BatchOutcome,
    product: ProductSpec,
    product_id: int,
    lot_id: int,
    workflow: dict[str, int],
    codes: BatchCodes,
) -> Row:
    status = batch_status(rng, plan, outcome)
    reserved = 0
    if status == "LIVE" and rng.random() < RESERVED_SHARE:
        reserved = whole(int(outcome.on_hand * rng.uniform(0.1, 0.4)), product)
    received = not plan.awaiting
    paid = times_price(plan.intake, plan.unit_cogs) if received and not plan.consignment else 0
    low, high = plan.cogs_range or (None, None)
    metadata = {"intake_qty" if received else "expected_qty": decimal_text(plan.intake)}
    metadata["uom"] = product.uom
    last = plan.created if outcome.last_moved is None else max(plan.created, outcome.last_moved)
    return BATCHES_ROW(
        id=batch_id,
        code=codes.batch(serial),
        sku=codes.skus.free(f"SKU-{plan.product_index + 1:05d}-{plan.lot_index + 1:05d}", dashed),
        product_id=product_id,
        lot_id=lot_id,
        status=status,
        status_id=workflow.get(WORKFLOW_SLUGS.get(status, "")),
        grade=product.grade,
        is_sample=False,
        cogs_mode="RANGE" if plan.cogs_range else "FIXED",
        unit_cogs=decimal_text(plan.unit_cogs),
        unit_cogs_min=None if low is None else decimal_text(low),
        unit_cogs_max=None if high is None else decimal_text(high),
        payment_terms="CONSIGNMENT" if plan.consignment else "COD",
        amount_paid=decimal_text(paid),
        on_hand_qty=decimal_text(outcome.on_hand),
        sample_qty=decimal_text(outcome.sampled),
        reserved_qty=decimal_text(reserved),
        quarantine_qty=decimal_text(outcome.quarantined),
        hold_qty=decimal_text(outcome.on_hand if status == "ON_HOLD" else 0),
        defective_qty="0",
        metadata=Jsonb(metadata),
        created_at=timestamp_text(plan.created),
        updated_at=timestamp_text(last),
    )


def shelf_place(rng: random.Random) -> tuple[str, str, str]:
    return (
        RACK_FORMAT.format(n=rng.randint(1, RACKS_PER_ZONE)),
        SHELF_FORMAT.format(n=rng.randint(1, SHELVES_PER_RACK)),
        BIN_FORMAT.format(n=rng.randint(1, BINS_PER_SHELF)),
    )


def location_rows(
    rng: random.Random,
    plan: BatchPlan,
    outcome: BatchOutcome,
    product: ProductSpec,
) -> list[tuple[str, str, int]]:
    """(site, zone, hundredths) of each place the batch's physical stock sits: its
    on-hand stock plus what is quarantined; an empty batch keeps its last place at 0."""
    if plan.awaiting:
        return [(*RECEIVING, 0)]
    zones = COLD_ZONES if product.category == "Edibles" else STORAGE_ZONES
    places: list[tuple[str, str, int]] = []
    if outcome.quarantined:
        places.append((*QUARANTINE, outcome.quarantined))
    if outcome.on_hand or not places:
        first = rng.choice(zones)
        part = whole(int(outcome.on_hand * rng.uniform(0.3, 0.7)), product)
        if outcome.on_hand and rng.random() < SPLIT_SHARE and 0 < part < outcome.on_hand:
            second = rng.choice([zone for zone in zones if zone != first] or [first])
            places += [(*first, part), (*second, outcome.on_hand - part)]
        else:
            places.append((*first, outcome.on_hand))
    return places


def generate(context: SeedContext) -> None:
    plan = planned(context)
    rng, world = plan.rng, plan.world
    lots, batches = world.supply.lots, world.supply.batches
    outcomes = plan.summary.outcomes
    vendor_ids = plan.ids("vendors")
    product_ids = plan.ids("products")
    workflow = {
        slug: int(status_id)
        for slug, status_id in context.connection.execute(
            sa.text("select slug, id from workflow_statuses")
        )
    }

    lot_code = context.codes("lots", "code", "LOT-", 5)
    codes = BatchCodes(
        context.codes("batches", "code", "BATCH-", 6), context.taken("batches", "sku", "SKU-%")
    )

    def lot_rows(ids: IdBlock) -> Iterator[Row]:
        for serial, (lot_id, lot) in enumerate(zip(ids, lots, strict=True), start=1):
            received = timestamp_text(lot.received)
            notes = rng.choice(LOT_NOTES) if rng.random() < 0.5 else None
            yield LOTS_ROW(
                id=lot_id,
                code=lot_code(serial),
                vendor_id=vendor_ids[lot.vendor_index],
                date=date_text(lot.received),
                notes=notes,
                created_at=received,
                updated_at=received,
            )

    lot_ids = list(context.insert(LOTS, len(lots), lot_rows))

    def rows(ids: IdBlock) -> Iterator[Row]:
        for serial, (batch_id, plan) in enumerate(zip(ids, batches, strict=True), start=1):
            yield batch_row(
                rng,
                batch_id,
                serial,
                plan,
                outcomes[serial - 1],
                world.products[plan.product_index],
                product_ids[plan.product_index],
                lot_ids[plan.lot_index],
                workflow,
                codes,
            )

    batch_ids = list(context.insert(BATCHES, len(batches), rows))

    places = [
        location_rows(rng, plan, outcome, world.products[plan.product_index])
        for plan, outcome in zip(batches, outcomes, strict=True)
    ]

    def place_rows(ids: IdBlock) -> Iterator[Row]:
        pairs = (
            (batch_index, place)
            for batch_index, batch_places in enumerate(places)
            for place in batch_places
        )
        for location_id, (batch_index, (site, zone, quantity)) in zip(ids, pairs, strict=True):
            plan = batches[batch_index]
            placed = timestamp_text(plan.created)
            rack, shelf, bin_ = shelf_place(rng)
            yield BATCH_LOCATIONS_ROW(
                id=location_id,
                batch_id=batch_ids[batch_index],
                site=site,
                zone=zone,
                rack=rack,
                shelf=shelf,
                bin=bin_,
                qty=decimal_text(quantity),
                created_at=placed,
                updated_at=placed,
            )

    context.insert(BATCH_LOCATIONS, sum(map(len, places)), place_rows)
