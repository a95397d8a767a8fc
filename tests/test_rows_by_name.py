"""Rows are built by column name (seeding.row_builder): a swap of two columns of one type is
either harmless (the spec's order) or caught before the commit (the values), and no TERP
generator builds a row by position."""

import ast
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from seed_data.errors import SeedError, SeedIntegrityError
from seed_data.seeding import row_builder
from terp.generators import orders
from tests.conftest import PROJECT_ROOT, DatabaseFactory, InProcess, contents


def swapped_values(*pair: str) -> Any:
    """orders.order_row, with the values of two columns traded."""
    original = orders.order_row
    names = [column.name for column in orders.ORDERS.columns]
    first, second = (names.index(name) for name in pair)

    def order_row(*args: Any, **kwargs: Any) -> tuple[Any, ...]:
        row = list(original(*args, **kwargs))
        row[first], row[second] = row[second], row[first]
        return tuple(row)

    return order_row


@pytest.mark.parametrize(
    ("pair", "rule", "profile"),
    [
        # small ships every packed order: medium has orders packed and not yet shipped
        (("packed_by", "shipped_by"), "order_handlers_fit_fulfillment", "medium"),
        (("subtotal", "discount"), "order_subtotal", "small"),
    ],
)
def test_swapped_values_are_caught_before_the_commit(
    pair: tuple[str, str],
    rule: str,
    profile: str,
    alembic: InProcess,
    engine: sa.Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(orders, "order_row", swapped_values(*pair))
    with pytest.raises(SeedIntegrityError, match=f"seed_0007 rolled back.*rule {rule}"):
        alembic.upgrade("seed@head", profile=profile)
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select count(*) from orders")) == 0


def test_the_spec_order_of_two_columns_changes_nothing(
    make_database: DatabaseFactory, alembic: InProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_written = make_database()
    InProcess(as_written, alembic.monkeypatch).upgrade("seed@head")
    columns = list(orders.ORDERS.columns)
    packed, shipped = (columns.index(orders.ORDERS.c[name]) for name in ("packed_by", "shipped_by"))
    columns[packed], columns[shipped] = columns[shipped], columns[packed]
    reordered = sa.table("orders", *(sa.column(c.name, c.type) for c in columns))
    monkeypatch.setattr(orders, "ORDERS", reordered)
    monkeypatch.setattr(orders, "ORDERS_ROW", row_builder(reordered))
    monkeypatch.setattr(orders, "TABLES", (reordered, orders.ORDER_LINE_ITEMS))
    swapped = make_database()
    InProcess(swapped, alembic.monkeypatch).upgrade("seed@head")
    assert contents(swapped) == contents(as_written)


def positional_rows(path: Path) -> list[str]:
    """Tuple displays of five values or more that a function yields or returns: a row
    built by position (a builder call is not a tuple display)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        value = getattr(node, "value", None)
        is_row = isinstance(value, ast.Tuple) and len(value.elts) >= 5
        if isinstance(node, ast.Yield | ast.Return) and is_row:
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_generator_builds_a_row_by_position(tmp_path: Path) -> None:
    generators = (PROJECT_ROOT / "terp" / "generators").glob("*.py")
    assert [found for path in generators for found in positional_rows(path)] == []
    sample = tmp_path / "sample.py"
    sample.write_text("def rows():\n    yield (1, 'a', 'b', None, 2)\n")
    assert positional_rows(sample) == ["sample.py:2"]


def test_row_builder_follows_the_spec() -> None:
    spec = sa.table("t", sa.column("id", sa.BigInteger), sa.column("b"), sa.column("a"))
    assert row_builder(spec)(a=1, id=7, b=2) == (7, 2, 1)
    with pytest.raises(TypeError):
        row_builder(spec)(id=1, b=2)  # a column left out is an error, not a NULL
    with pytest.raises(TypeError):
        row_builder(spec)(7, 2, 1)  # by keyword only
    with pytest.raises(SeedError, match="cannot be keyword arguments"):
        row_builder(sa.table("t", sa.column("id"), sa.column("class")))
