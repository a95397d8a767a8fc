"""Every profile gives the rows docs/data-model.md documents (within 5 %): small in the
normal suite, medium and large as slow tests, xl only on request (SEED_TEST_XL=1; it
takes about a minute and a half)."""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from terp.profiles import PROFILES
from tests.conftest import PROJECT_ROOT, SEEDED_TABLES, seed_database, table_counts

DATA_MODEL = PROJECT_ROOT / "docs" / "data-model.md"
TOLERANCE = 0.05

# Measured with the default random seed (42); docs/data-model.md shows the same table.
DOCUMENTED_ROWS: dict[str, dict[str, int]] = {
    "small": dict(
        zip(
            SEEDED_TABLES,
            (8, 5, 10, 20, 40, 25, 14, 26, 27, 80, 211, 68, 180, 85, 221),
            strict=True,
        )
    ),
    "medium": dict(
        zip(
            SEEDED_TABLES,
            (20, 8, 24, 50, 200, 60, 184, 361, 370, 4_400, 13_238, 3_484, 10_457, 4_171, 10_951),
            strict=True,
        )
    ),
    "large": dict(
        zip(
            SEEDED_TABLES,
            (
                *(100, 40, 120, 120, 2_000, 1_500, 920, 2_761, 2_804),
                *(26_000, 78_919, 20_760, 63_289, 25_110, 67_261),
            ),
            strict=True,
        )
    ),
    "xl": dict(
        zip(
            SEEDED_TABLES,
            (
                *(400, 120, 480, 120, 10_000, 12_000, 6_900, 20_717, 21_080),
                *(200_000, 609_137, 159_400, 485_631, 192_091, 514_968),
            ),
            strict=True,
        )
    ),
}


def documented_table(path: Path) -> dict[str, dict[str, int]]:
    """The rows-per-table table of docs/data-model.md: | table | small | medium | ... |"""
    rows: dict[str, dict[str, int]] = {profile: {} for profile in PROFILES}
    pattern = re.compile(r"^\| `?([a-z_]+)`? \|" + r" *([\d,]+) *\|" * len(PROFILES) + "$")
    for line in path.read_text().splitlines():
        match = pattern.match(line)
        if match:
            for profile, count in zip(PROFILES, match.groups()[1:], strict=True):
                rows[profile][match.group(1)] = int(count.replace(",", ""))
    return rows


def test_docs_show_the_documented_rows() -> None:
    assert documented_table(DATA_MODEL) == DOCUMENTED_ROWS
    assert documented_table(PROJECT_ROOT / "README.md") == DOCUMENTED_ROWS


def test_documented_volumes_meet_the_spec() -> None:
    totals = {profile: sum(rows.values()) for profile, rows in DOCUMENTED_ROWS.items()}
    assert abs(totals["small"] - 1_000) <= 1_000 * TOLERANCE
    assert 10_000 <= totals["medium"] < 100_000
    assert totals["large"] >= 250_000
    assert totals["xl"] >= 2_000_000
    medium = PROFILES["medium"]
    assert (medium.clients, medium.whale_clients, medium.vendors, medium.strains) == (60, 10, 8, 50)
    assert (medium.orders, medium.months, medium.lots_per_month) == (4_400, 22, 8)


def assert_documented(engine: sa.Engine, profile: str) -> None:
    counts = table_counts(engine, SEEDED_TABLES)
    for table, expected in DOCUMENTED_ROWS[profile].items():
        assert abs(counts[table] - expected) <= expected * TOLERANCE, (table, counts[table])


@pytest.fixture
def seeded(request: pytest.FixtureRequest, server_url: URL) -> Iterator[sa.Engine]:
    yield from seed_database(server_url, request.param)


@pytest.mark.parametrize(
    "seeded",
    [
        "small",
        pytest.param("medium", marks=pytest.mark.slow),
        pytest.param("large", marks=pytest.mark.slow),
        pytest.param(
            "xl",
            marks=[
                pytest.mark.slow,
                pytest.mark.skipif(
                    not os.environ.get("SEED_TEST_XL"), reason="xl takes minutes: SEED_TEST_XL=1"
                ),
            ],
        ),
    ],
    indirect=True,
)
def test_profile_gives_its_documented_rows(
    seeded: sa.Engine, request: pytest.FixtureRequest
) -> None:
    profile = request.node.callspec.params["seeded"]
    assert_documented(seeded, profile)
