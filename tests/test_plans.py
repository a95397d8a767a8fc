"""The plans on their own, without a database: replays are identical, stock never goes
negative, supply carries demand, and the edge paths (quarantine, batches not yet
received, an empty market) behave."""

import multiprocessing.context
import os
import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import URL

from terp.generators.inventory import batch_status, location_rows
from terp.generators.orders import margin_percent
from terp.plans import recording
from terp.plans.clock import ANCHOR_TS, DAY, day, history_start_ts, is_office_time, plus_days
from terp.plans.products import ProductSpec, product_specs
from terp.plans.recording import order_lines, plan_summary, planned_orders, stock_moves
from terp.plans.settlement import settle
from terp.plans.stock import BatchOutcome, StockBook
from terp.plans.supply import FLOWER_SOLD_PER_ORDER, BatchPlan, ProductPicker
from terp.plans.trading import Market, PlanError, PlannedOrder, Pool, StockMove, plan_world
from terp.plans.units import apportion, decimal_text, times_price
from terp.profiles import PROFILES, Profile
from tests.conftest import Cli

MEDIUM = PROFILES["medium"]


def simulated(random_seed: int, profile: Profile) -> tuple[list[PlannedOrder], list[StockMove]]:
    events = list(Market(random_seed, profile).run())
    orders = [event for event in events if isinstance(event, PlannedOrder)]
    return orders, [event for event in events if isinstance(event, StockMove)]


@pytest.mark.parametrize("name", ["small", "medium"])
def test_playback_equals_the_simulation_event_for_event(name: str) -> None:
    profile = PROFILES[name]
    orders, moves = simulated(7, profile)
    for _ in range(2):  # records on the first call, plays back after that
        played_orders = list(planned_orders(7, profile))
        assert played_orders == orders
        assert [vars_of(order) for order in played_orders] == [vars_of(o) for o in orders]
        assert list(stock_moves(7, profile)) == moves
        assert list(order_lines(7, profile)) == [
            (order.index, order.created, order.invoice, order.invoiced, order.lines)
            for order in orders
        ]
    assert all(type(move) is StockMove for move in stock_moves(7, profile))


def vars_of(order: PlannedOrder) -> list[tuple[str, object, type]]:
    """Every field with its value's type: playback must rebuild the same types too."""
    values = [(name, getattr(order, name)) for name in order.__slots__]
    return [(name, value, type(value)) for name, value in values] + [
        ("line", line, type(line)) for line in order.lines
    ]


def test_replays_are_identical_and_seeds_differ() -> None:
    small = PROFILES["small"]
    first = list(planned_orders(42, small))
    assert first == list(planned_orders(42, small))
    assert list(planned_orders(43, small)) != first
    assert list(stock_moves(43, small)) != list(stock_moves(42, small))


def test_medium_stock_never_goes_negative_and_every_path_occurs() -> None:
    summary = plan_summary(42, MEDIUM)
    book = StockBook(len(summary.outcomes))
    kinds: Counter[str] = Counter()
    intakes: set[int] = set()
    for move in stock_moves(42, MEDIUM):
        kinds[move.kind] += 1
        book.apply(move)
        assert book.outcomes[move.batch].on_hand >= 0
        if move.kind == "INTAKE":
            intakes.add(move.batch)
    orders = Counter(
        f"{order.order_type} {order.sale_status or order.quote_status}"
        for order in planned_orders(42, MEDIUM)
    )
    assert book.outcomes == summary.outcomes
    assert sum(kinds.values()) == summary.movements
    # aged stock goes back to its consignor (RETURN), buyers send goods back
    # (REFUND_RETURN); owned stock written off when aged (DISPOSAL) is rare once supply
    # follows demand
    paths = {"INTAKE", "SAMPLE", "ADJUSTMENT", "QUARANTINE", "SALE", "RETURN", "REFUND_RETURN"}
    assert paths <= set(kinds) <= paths | {"DISPOSAL"}
    assert {"SALE CANCELLED", "SALE PENDING", "QUOTE CONVERTED", "QUOTE EXPIRED"} <= set(orders)
    assert sum(orders.values()) == MEDIUM.orders == summary.orders
    quarantined = [o for o in summary.outcomes if o.quarantined]
    assert quarantined and all(o.on_hand == 0 for o in quarantined)
    assert len(intakes) < len(summary.outcomes)  # some batches are not received yet


def test_an_empty_market_is_a_plan_error() -> None:
    no_supply = replace(PROFILES["small"], lots_per_month=0, opening_lots=0)
    with pytest.raises(PlanError, match="no stock left to sell"):
        plan_summary(42, no_supply)


def test_a_recording_made_ahead_in_a_child_process_is_the_one_made_here() -> None:
    medium = PROFILES["medium"]
    here = recording._record(11, medium)
    recording.record_ahead(11, medium)
    (ahead,) = recording._running.values()
    assert ahead.child.pid != os.getpid()
    assert recording.recorded(11, medium) == here  # the same chunks, byte for byte
    assert not ahead.child.is_alive() and ahead.child.exitcode == 0
    assert not recording._running


def test_a_failed_child_leaves_the_recording_and_its_error_to_this_process() -> None:
    no_supply = replace(PROFILES["small"], lots_per_month=0, opening_lots=0)
    recording.record_ahead(12, no_supply)
    (ahead,) = recording._running.values()
    with pytest.raises(PlanError, match="no stock left to sell"):
        plan_summary(12, no_supply)
    assert ahead.recording is None and ahead.child.exitcode == 0


def test_without_a_process_to_spare_the_recording_is_made_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(self: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refuse)
    recording.record_ahead(14, PROFILES["small"])
    assert not recording._running
    assert plan_summary(14, PROFILES["small"]) == recording._record(14, PROFILES["small"]).summary


def test_a_recording_not_replayed_is_abandoned_for_the_next_one() -> None:
    large, small = PROFILES["large"], PROFILES["small"]
    recording.record_ahead(13, large)
    (first,) = recording._running.values()
    recording.record_ahead(13, small)
    assert first.child.exitcode is not None and first.recording is None  # ended at once
    assert list(recording._running) == [(13, small)]
    assert plan_summary(13, small) == recording._record(13, small).summary


def test_pool_picks_by_popularity_and_forgets_removed_batches() -> None:
    pool = Pool()
    assert pool.pick(random.Random(1)) is None
    for batch, tier in ((1, 0), (2, 1), (3, 2), (4, 2)):
        pool.add(batch, tier)
    pool.discard(3)
    pool.discard(3)  # twice is harmless
    picks = Counter(pool.pick(random.Random(seed)) for seed in range(3_000))
    assert set(picks) == {1, 2, 4}
    assert picks[1] > picks[2] > picks[4]  # weights 12, 3, 1


def test_settlement_never_pays_after_the_anchor_or_more_than_due() -> None:
    rng = random.Random(5)
    for offset in (DAY, 40 * DAY, 400 * DAY):
        invoiced = ANCHOR_TS - offset
        for terms in ("COD", "NET_30"):
            settlement = settle(rng, terms, invoiced, plus_days(day(invoiced), 30), 123_45)
            assert settlement.paid <= 123_45
            assert all(invoiced < at <= ANCHOR_TS for at, _ in settlement.payments)
            if settlement.invoice_status == "PAID":
                assert settlement.paid == 123_45


def test_amount_helpers() -> None:
    assert decimal_text(-5) == "-0.05" and decimal_text(12_345) == "123.45"
    assert times_price(25, 199) == 50  # 0.25 x $1.99 = $0.4975 -> $0.50
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert margin_percent(25, 100) == "25.00" and margin_percent(1, 0) == "0.00"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_decimal_text_is_the_exact_decimal(hundredths: int) -> None:
    assert Decimal(decimal_text(hundredths)) == Decimal(hundredths) / 100
    assert decimal_text(hundredths) == f"{Decimal(hundredths) / 100:.2f}"


def test_a_lot_never_holds_one_product_twice() -> None:
    products = [ProductSpec(0, 0, "Only", "Edibles", "Gummies", None, "EA")] + [
        ProductSpec(0, i, f"F{i}", "Flower", "Indoor", "AA", "LB") for i in range(1, 3)
    ]
    picker = ProductPicker(products)
    taken = {0, 1}
    assert picker.pick(random.Random(3), 2, taken, 6) == 2  # serial 2: the edible slot, taken


def test_catalog_too_small_for_its_products() -> None:
    with pytest.raises(ValueError, match=r"only \d+ distinct \w+ products for \d+"):
        product_specs(42, replace(PROFILES["small"], vendors=1, strains=1, products=400))


EDIBLE = ProductSpec(0, 0, "X - Gummies", "Edibles", "Gummies", None, "EA")


def batch(awaiting: bool = False) -> BatchPlan:
    """100 units of an edible on consignment, received ten days before the anchor."""
    return BatchPlan(0, 0, ANCHOR_TS - 10 * DAY, 10_000, 500, None, True, 0, 0, 0, None, awaiting)


def test_batch_status_and_places_for_special_batches() -> None:
    rng = random.Random(1)
    awaiting = batch(awaiting=True)
    assert batch_status(rng, awaiting, BatchOutcome()) == "AWAITING_INTAKE"
    assert location_rows(rng, awaiting, BatchOutcome(), EDIBLE) == [("Receiving Bay", "RECV", 0)]
    quarantined = BatchOutcome(on_hand=0, quarantined=4_000)
    assert batch_status(rng, batch(), quarantined) == "QUARANTINED"
    assert location_rows(rng, batch(), quarantined, EDIBLE) == [("Quarantine", "Q", 4_000)]
    long_empty = BatchOutcome(on_hand=0, emptied=ANCHOR_TS - 200 * DAY)
    statuses = {batch_status(random.Random(s), batch(), long_empty) for s in range(50)}
    assert statuses == {"SOLD_OUT", "CLOSED"}
    places = [
        location_rows(random.Random(s), batch(), BatchOutcome(on_hand=900), EDIBLE)
        for s in range(50)
    ]
    assert all(
        sum(q for _, _, q in p) == 900 and all(s == "Cold Storage" for s, _, _ in p) for p in places
    )
    assert any(len(p) == 2 for p in places) and all(q % 100 == 0 for p in places for _, _, q in p)


def confirmed_sales(profile: Profile) -> list[PlannedOrder]:
    return [
        order
        for order in planned_orders(42, profile)
        if order.order_type == "SALE" and not order.is_draft and not order.cancelled
    ]


def test_medium_flower_supply_follows_demand() -> None:
    world = plan_world(42, MEDIUM)
    flower = [world.products[batch.product_index].is_flower for batch in world.supply.batches]
    sold = sum(
        line.quantity
        for order in confirmed_sales(MEDIUM)
        for line in order.lines
        if flower[line.batch]
    )
    bought = sum(
        b.intake for b, is_flower in zip(world.supply.batches, flower, strict=True) if is_flower
    )
    # the constant supply is is sized by what the plan's buyers take, within 10 %
    assert abs(sold / 100 / MEDIUM.orders / FLOWER_SOLD_PER_ORDER - 1) < 0.1
    assert 1.0 < bought / sold < 1.3


def test_orders_and_deliveries_keep_office_time() -> None:
    pacific = ZoneInfo("America/Los_Angeles")
    local = [
        datetime.fromtimestamp(order.created, UTC).astimezone(pacific)
        for order in planned_orders(42, MEDIUM)
    ]
    assert sum(7 <= moment.hour < 19 for moment in local) / len(local) >= 0.95
    assert sum(moment.weekday() < 5 for moment in local) / len(local) >= 0.85
    start = history_start_ts(MEDIUM.months)
    regular = [lot for lot in plan_world(42, MEDIUM).supply.lots if lot.received > start + DAY]
    assert regular and all(is_office_time(lot.received) for lot in regular)


def test_outdoor_flower_comes_with_the_harvest_and_is_cheap_after_it() -> None:
    world = plan_world(42, MEDIUM)
    by_month: dict[int, list[tuple[int, int]]] = {}
    for batch in world.supply.batches:
        product = world.products[batch.product_index]
        if product.subcategory == "Outdoor":
            by_month.setdefault(day(batch.created).month, []).append(
                (batch.intake, batch.unit_cogs)
            )
    intake = {month: sum(i for i, _ in rows) for month, rows in by_month.items()}
    assert sum(intake.get(m, 0) for m in (9, 10, 11)) / sum(intake.values()) >= 0.5

    def mean_cost(months: tuple[int, ...]) -> float:
        costs = [cost for m in months for _, cost in by_month.get(m, [])]
        return sum(costs) / len(costs)

    assert mean_cost((10, 11, 12, 1)) < 0.95 * mean_cost((5, 6, 7, 8))


def test_bigger_whales_buy_bigger_orders() -> None:
    sales = confirmed_sales(MEDIUM)
    revenue: Counter[int] = Counter()
    for order in sales:
        revenue[order.client] += order.total
    top = {client for client, _ in revenue.most_common(10)}

    def mean(orders: list[PlannedOrder]) -> float:
        return sum(order.total for order in orders) / len(orders)

    assert mean([o for o in sales if o.client in top]) >= 1.3 * mean(
        [o for o in sales if o.client not in top]
    )


def test_an_upgrade_records_ahead_only_when_a_revision_replays_the_plan(
    database_at_schema_head: URL, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[int, str]] = []
    monkeypatch.setattr(
        recording, "record_ahead", lambda seed, profile: asked.append((seed, profile.name))
    )
    assert cli("-x", "profile=small", "upgrade", "seed_0005").returncode == 0
    assert asked == []  # users to clients: no plan replayed
    # the rest of the way: the profile and random seed the database holds
    assert cli("upgrade", "seed@head").returncode == 0
    assert asked == [(42, "small")]
    assert cli("downgrade", "seed@base").returncode == 0
    assert asked == [(42, "small")]
