"""README.md's performance figures are rendered from docs/performance.md's results table
(scripts/performance_figures.py), never copied by hand."""

from scripts import performance_figures
from tests.conftest import PROJECT_ROOT

PERFORMANCE = (PROJECT_ROOT / "docs" / "performance.md").read_text()


def test_the_readme_shows_the_benchmarked_figures() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert performance_figures.refreshed(readme, PERFORMANCE) == readme, (
        "stale: run `.venv/bin/python scripts/performance_figures.py`"
    )


def test_every_profile_and_the_before_row_reach_the_readme() -> None:
    rows = performance_figures.results(PERFORMANCE)
    rendered = performance_figures.render(PERFORMANCE)
    assert {row["profile"] for row in rows} >= {"small", "medium", "large", "xl"}
    for row in rows:
        assert f"{row['seed s']}" in rendered and row["ratio"] in rendered
    edited = PERFORMANCE.replace(f"| {rows[-1]['seed s']} |", "| 99.99 |", 1)
    assert "99.99" in performance_figures.render(edited)
