"""A seed revision whose generator breaks a rule fails inside its own transaction: the
error names the rule, the table and a row, and nothing of that revision is committed."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from seed_data.errors import SeedError, SeedIntegrityError
from terp.generators import movements, orders
from terp.plans.units import decimal_text
from tests.conftest import InProcess, table_counts, versions

ORDER_TABLES = ("orders", "order_line_items")


def corrupt_first(
    monkeypatch: pytest.MonkeyPatch,
    module: object,
    name: str,
    spec: sa.TableClause,
    column: str,
    change: Callable[[Any], Any],
) -> None:
    """Wrap `module.name` (a row builder) so the first row it builds gets `column` changed."""
    original = getattr(module, name)
    index = [each.name for each in spec.columns].index(column)
    done: list[bool] = []

    def corrupted(*args: Any, **kwargs: Any) -> tuple[Any, ...]:
        row = list(original(*args, **kwargs))
        if not done:
            row[index] = change(row[index])
            done.append(True)
        return tuple(row)

    monkeypatch.setattr(module, name, corrupted)


def ledger_revisions(engine: sa.Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.scalars(sa.text("select distinct revision from seed_ledger")))


def assert_orders_revision_rolled_back(engine: sa.Engine) -> None:
    assert versions(engine) == {"seed_0006"}
    assert table_counts(engine, ORDER_TABLES) == {"orders": 0, "order_line_items": 0}
    assert "seed_0007" not in ledger_revisions(engine)
    assert table_counts(engine, ("batches",))["batches"] > 0  # earlier revisions stay


def test_wrong_order_total_rolls_the_revision_back(
    alembic: InProcess, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    alembic.upgrade("seed_0006")
    corrupt_first(
        monkeypatch, orders, "order_row", orders.ORDERS, "total", lambda value: Decimal(value) + 1
    )
    with pytest.raises(SeedIntegrityError) as failure:
        alembic.upgrade("seed@head")
    message = str(failure.value)
    assert message.startswith("seed_0007 rolled back, nothing of it was committed: ")
    assert "rule order_total broken in orders (1 rows, e.g. id " in message
    assert "order.total = subtotal + tax - discount" in message
    assert "\n" not in message
    assert_orders_revision_rolled_back(engine)


def test_orphan_batch_reference_rolls_the_revision_back(
    alembic: InProcess, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    alembic.upgrade("seed_0006")
    corrupt_first(
        monkeypatch,
        orders,
        "line_row",
        orders.ORDER_LINE_ITEMS,
        "batch_id",
        lambda value: value + 10**9,
    )
    with pytest.raises(SeedIntegrityError) as failure:
        alembic.upgrade("seed@head")
    assert "rule reference_order_line_items_batch_id broken in order_line_items (1 rows" in str(
        failure.value
    )
    assert "order_line_items.batch_id points at no batches row" in str(failure.value)
    assert_orders_revision_rolled_back(engine)


def test_a_broken_stock_chain_fails_the_last_revision(
    alembic: InProcess, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cross-revision rule (batch stock = its movements) is checked where it completes."""
    alembic.upgrade("seed_0009")
    original = decimal_text
    calls: list[int] = []

    def off_by_one_after_first_intake(value: int) -> str:
        calls.append(value)
        # the third value of the first row is its quantity_after
        return original(value + 1 if len(calls) == 3 else value)

    monkeypatch.setattr(movements, "decimal_text", off_by_one_after_first_intake)
    with pytest.raises(SeedIntegrityError) as failure:
        alembic.upgrade("seed@head")
    message = str(failure.value)
    assert "rule movement_arithmetic broken in inventory_movements (1 rows" in message
    assert "(also broken: movement_chain)" in message  # the batch's next movement
    assert versions(engine) == {"seed_0009"}
    assert table_counts(engine, ("inventory_movements",)) == {"inventory_movements": 0}


def test_mixing_profiles_is_refused(alembic: InProcess, engine: sa.Engine) -> None:
    alembic.upgrade("seed_0005")
    with pytest.raises(SeedError) as refusal:
        alembic.upgrade("seed@head", random_seed=7)
    assert (
        "holds seed data of profile small, random seed 42, and this run asks for random seed 7"
        in str(refusal.value)
    )
    assert versions(engine) == {"seed_0005"}
