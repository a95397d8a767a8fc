"""The report as one self-contained HTML page: the same lines as the text output, in a
table per section, and the charts of terp.report.charts inlined as SVG.

Self-contained means no request at all when it is opened: no script, no font, no
stylesheet or image from anywhere (CSS and SVG are inline), and a Content-Security-Policy
that forbids loading anything, so the page stays inert even if someone edits it."""

from collections.abc import Callable
from html import escape

from seed_data.errors import SeedError
from terp.report.figures import Figures
from terp.report.lines import Section, targets

Renderer = Callable[[Figures, list[Section], str], str]

INSTALL = "pip install terp-seed[report]"

# The chart(s) shown under each section, by section title.
CHARTS_OF_SECTION = {
    "category mix": ("revenue-by-month", "margin-by-category"),
    "stock": ("months-on-hand",),
    "credit": ("receivables-aging",),
    "harvest": ("outdoor-cogs",),
    "client concentration": ("client-concentration",),
}

_CSS = """
body { font-family: system-ui, sans-serif; margin: 0; color: #212121; background: #fafafa; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
p.summary { margin: 0 0 12px; color: #555; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 0.9rem;
  table-layout: fixed; }
col.figure { width: 38%; } col.value { width: 34%; } col.target { width: 20%; }
td, th { padding: 4px 8px; border-bottom: 1px solid #eee; text-align: left;
  vertical-align: top; }
th { background: #f0f0f0; font-weight: 600; }
td.verdict { white-space: nowrap; font-weight: 600; }
tr.met td.verdict { color: #2e7d32; }
tr.not-met td.verdict { color: #c62828; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr));
  gap: 12px; margin-top: 12px; }
figure.chart { margin: 0; background: #fff; border: 1px solid #eee; padding: 4px; }
figure.chart svg { width: 100%; height: auto; display: block; }
"""


class MissingExtra(SeedError):
    """matplotlib (the `report` extra) is not installed."""


def load_renderer() -> Renderer:
    """The page renderer, or one clear line when the optional extra is missing."""
    try:
        from terp.report import charts
    except ImportError:
        raise MissingExtra(
            "--html draws its charts with matplotlib, which is not installed: "
            f"{INSTALL} (in a checkout: pip install -e '.[report]')"
        ) from None

    def render(figures: Figures, sections: list[Section], why: str) -> str:
        return page(figures, sections, why, charts.render(figures))

    return render


def page(figures: Figures, sections: list[Section], why: str, svgs: dict[str, str]) -> str:
    met, judged = targets(sections)
    title = f"TERP report as of {figures.end.isoformat()}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head><body><main>",
        f"<h1>{escape(title)}</h1>",
        '<p class="summary">'
        + escape(
            f"End date: {why} (UTC days). {figures.confirmed_sales:,} confirmed sales, "
            f"revenue ${figures.revenue:,.2f}. {met} of {judged} targets met."
        )
        + "</p>",
    ]
    for section in sections:
        parts.append(f'<section id="{_slug(section.title)}">')
        parts.append(f"<h2>{escape(section.title)}</h2>")
        parts.append(
            '<table><col class="figure"><col class="value"><col class="target"><col>'
            "<tr><th>figure</th><th>value</th><th>target</th><th></th></tr>"
        )
        for line in section.lines:
            verdict = line.verdict or ""
            row_class = _slug(verdict) if line.met is not None else ""
            parts.append(
                f'<tr class="{row_class}"><td>{escape(line.label)}</td>'
                f"<td>{escape(line.value)}</td><td>{escape(line.target or '')}</td>"
                f'<td class="verdict">{escape(verdict)}</td></tr>'
            )
        parts.append("</table>")
        charts = [name for name in CHARTS_OF_SECTION.get(section.title, ()) if name in svgs]
        if charts:
            parts.append('<div class="charts">')
            for name in charts:
                parts.append(f'<figure class="chart" id="chart-{name}">{svgs[name]}</figure>')
            parts.append("</div>")
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())
