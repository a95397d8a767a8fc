"""Every profile gives the rows its generators declare (within 5 %): small in the normal
suite, medium and large as slow tests, xl only on request (SEED_TEST_XL=1; it takes about
a minute and a half). README.md and docs/data-model.md show the catalogue rendered from
them (terp/catalogue.py), never stale."""

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from terp import catalogue
from terp.profiles import PROFILES
from tests.conftest import PROJECT_ROOT, SEEDED_TABLES, seed_database, table_counts

TOLERANCE = 0.05
DOCUMENTED_ROWS = catalogue.rows()


@pytest.mark.parametrize("document", catalogue.DOCUMENTS)
def test_the_docs_show_the_catalogue(document: str) -> None:
    text = (PROJECT_ROOT / document).read_text()
    assert catalogue.refreshed(text) == text, "stale: run `python -m terp.catalogue`"


def test_the_catalogue_covers_every_seeded_table() -> None:
    for profile in PROFILES:
        assert tuple(DOCUMENTED_ROWS[profile]) == SEEDED_TABLES


def test_a_stale_catalogue_is_found() -> None:
    text = (PROJECT_ROOT / "docs" / "data-model.md").read_text()
    stale = text.replace("| users | 8 |", "| users | 9 |")
    assert stale != text and catalogue.refreshed(stale) == text


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
