"""Rows are built by column name (seeding.row_type): a swap of two columns of one type is
either harmless (the spec's order) or caught before the commit (the values), and a row
built by position is refused."""

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.errors import SeedIntegrityError
from seed_data.seeding import row_type
from terp.generators import orders
from tests.conftest import SEED_HEAD, Cli, DatabaseFactory, InProcess, contents, versions


def swapped_values(*pair: str) -> Any:
    """orders.order_row, with the values of two columns traded."""
    original = orders.order_row

    def order_row(*args: Any, **kwargs: Any) -> tuple[Any, ...]:
        row = original(*args, **kwargs)
        first, second = (getattr(row, name) for name in pair)
        traded: tuple[Any, ...] = row._replace(**{pair[0]: second, pair[1]: first})  # type: ignore[attr-defined]
        return traded

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
    monkeypatch.setattr(orders, "ORDERS_ROW", row_type(reordered))
    monkeypatch.setattr(orders, "TABLES", (reordered, orders.ORDER_LINE_ITEMS))
    swapped = make_database()
    InProcess(swapped, alembic.monkeypatch).upgrade("seed@head")
    assert contents(swapped) == contents(as_written)


def test_rows_built_by_position_are_refused(
    database_url: URL, engine: sa.Engine, migrations_copy: Path
) -> None:
    copy = Cli(database_url, {}, ini=migrations_copy)
    assert copy("revision", "-m", "by position", "--head", "seed@head").returncode == 0
    (path,) = (migrations_copy.parent / "migrations" / "versions" / "seed").glob("seed_0011_*")
    text = path.read_text()
    text = text.replace(
        "TABLES: Sequence[sa.TableClause] = ()\n",
        'staff = sa.table("users", sa.column("id", sa.BigInteger), sa.column("name", sa.Text),'
        ' sa.column("open_id", sa.String), sa.column("role", sa.String))\nTABLES = (staff,)\n',
    )
    text = text.replace(
        '    context.faker."""\n',
        '    context.faker."""\n'
        '    context.insert(staff, 1, lambda ids: [(ids[0], "Ann", "seed-x", "user")])\n',
    )
    path.write_text(text)
    result = copy("upgrade", "seed@head")
    assert result.returncode == 1
    assert result.stderr.count("FAILED:") == 1
    assert "rows of users must be built by column name" in result.stderr
    assert versions(engine) == {SEED_HEAD}


def test_row_type_follows_the_spec() -> None:
    spec = sa.table("t", sa.column("id", sa.BigInteger), sa.column("b"), sa.column("a"))
    row = row_type(spec)(a=1, id=7, b=2)
    assert tuple(row) == (7, 2, 1)
    with pytest.raises(TypeError):
        row_type(spec)(id=1, b=2)  # a column left out is an error, not a NULL
