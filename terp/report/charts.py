"""The report's charts, drawn with matplotlib and returned as SVG markup to inline in the
HTML page (the optional `report` extra; only terp.report.page imports this module).

SVG rather than PNG: text stays text (searchable, sharp at any zoom) and the page stays
small. Each chart is inlined into one page, so its ids are prefixed with the chart's name
(matplotlib numbers them per figure: two charts would both have `axes_1`), and the XML
prolog and namespace declarations, which an HTML parser does not need, are dropped: the
page then names no http(s) address at all."""

import io
import re
from collections.abc import Callable
from decimal import Decimal

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from terp.report.figures import FLOWER, Figures
from terp.report.lines import TOP_CLIENTS, lorenz, top_share

# Colour per category, fixed so that a category looks the same in every chart.
CATEGORY_COLORS = {
    "Flower": "#2e7d32",
    "Concentrates": "#f9a825",
    "Edibles": "#8e24aa",
    "Pre-Rolls": "#6d4c41",
    "Vapes": "#1e88e5",
}
OTHER_COLOR = "#9e9e9e"
TARGET_COLOR = "#c62828"
SIZE = (7.0, 3.8)  # inches; shown two side by side, about 560 pixels wide each

# No date, tool name or format URL in the SVG: the same database gives the same page.
_METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None, "Type": None}
_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|href="#)([^")]+)')
_NAMESPACE = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')


def _color(category: str) -> str:
    return CATEGORY_COLORS.get(category, OTHER_COLOR)


def _categories(names: set[str]) -> list[str]:
    """Flower first (it dominates), then the others by name."""
    return sorted(names, key=lambda name: (name != FLOWER, name))


def _dollars(value: float, _: object = None) -> str:
    size = abs(value)
    if size >= 1e6:
        return f"${value / 1e6:,.1f}M"
    if size >= 1e3:
        return f"${value / 1e3:,.0f}k"
    return f"${value:,.0f}"


def _no_data(axes: Axes) -> None:
    axes.text(0.5, 0.5, "no data", ha="center", va="center", transform=axes.transAxes)
    axes.set_xticks([])
    axes.set_yticks([])


def _frame(title: str) -> tuple[Figure, Axes]:
    figure = Figure(figsize=SIZE, layout="constrained")
    axes = figure.subplots()
    axes.set_title(title, loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def inline_svg(figure: Figure, name: str) -> str:
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": name}):
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata=_METADATA)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = _NAMESPACE.sub("", svg, count=2)
    svg = _ID.sub(lambda match: f'id="{name}-{match.group(1)}"', svg)
    svg = _REFERENCE.sub(lambda match: f"{match.group(1)}{name}-{match.group(2)}", svg)
    return svg.replace("<svg", f'<svg role="img" aria-label="{name}"', 1)


def revenue_by_month(figures: Figures) -> Figure:
    figure, axes = _frame("Revenue by month and category, with the non-flower share")
    months = sorted({month for month, _, _ in figures.revenue_by_month})
    if not months:
        _no_data(axes)
        return figure
    revenue: dict[str, list[float]] = {}
    for month, category, amount in figures.revenue_by_month:
        revenue.setdefault(category, [0.0] * len(months))[months.index(month)] = float(amount)
    positions = list(range(len(months)))
    bottom = [0.0] * len(months)
    for category in _categories(set(revenue)):
        axes.bar(
            positions, revenue[category], bottom=bottom, color=_color(category), label=category
        )
        bottom = [b + v for b, v in zip(bottom, revenue[category], strict=True)]
    axes.yaxis.set_major_formatter(FuncFormatter(_dollars))
    step = max(1, len(months) // 12)
    axes.set_xticks(positions[::step], [month.strftime("%b %Y") for month in months][::step])
    axes.tick_params(axis="x", labelsize=8, rotation=45)
    share = axes.twinx()
    non_flower = [
        (total - revenue.get(FLOWER, [0.0] * len(months))[i]) / total if total else 0.0
        for i, total in enumerate(bottom)
    ]
    share.plot(positions, non_flower, color="black", linewidth=1.2, label="non-flower share")
    share.axhline(0.10, color=TARGET_COLOR, linestyle="--", linewidth=1, label="target 10 %")
    share.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    share.set_ylim(0, max(0.2, max(non_flower) * 1.2))
    share.spines[["top"]].set_visible(False)
    handles, labels = axes.get_legend_handles_labels()
    more_handles, more_labels = share.get_legend_handles_labels()
    axes.legend(handles + more_handles, labels + more_labels, fontsize=7, ncols=4, loc="upper left")
    axes.set_ylim(0, max(bottom) * 1.35)
    return figure


def margin_by_category(figures: Figures) -> Figure:
    figure, axes = _frame("Margin by category (revenue-weighted; bars: line margins p10-p90)")
    costed = [c for c in figures.categories if c.margin is not None]
    if not costed:
        _no_data(axes)
        return figure
    names = [c.category for c in costed]
    margins = [c.margin or 0.0 for c in costed]
    low = [
        max(0.0, m - (c.margin_p10 if c.margin_p10 is not None else m))
        for m, c in zip(margins, costed, strict=True)
    ]
    high = [
        max(0.0, (c.margin_p90 if c.margin_p90 is not None else m) - m)
        for m, c in zip(margins, costed, strict=True)
    ]
    axes.bar(names, margins, color=[_color(name) for name in names])
    axes.errorbar(names, margins, yerr=[low, high], fmt="none", ecolor="black", capsize=4)
    for position, margin in enumerate(margins):
        axes.annotate(
            f"{margin * 100:.1f} %",
            (position, margin),
            xytext=(8, 2),
            textcoords="offset points",
            fontsize=8,
        )
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    return figure


def months_on_hand(figures: Figures) -> Figure:
    figure, axes = _frame("Stock at the end in months of sales (last three months' pace)")
    stocked = [c for c in figures.categories if c.months_on_hand is not None]
    if not stocked:
        _no_data(axes)
        return figure
    names = [c.category for c in stocked]
    months = [c.months_on_hand or 0.0 for c in stocked]
    axes.bar(names, months, color=[_color(name) for name in names])
    axes.axhline(4, color=TARGET_COLOR, linestyle="--", linewidth=1, label="flower target 4 months")
    for position, value in enumerate(months):
        axes.annotate(
            f"{value:.1f}",
            (position, value),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    axes.set_ylabel("months", fontsize=9)
    axes.legend(fontsize=8)
    return figure


def receivables_aging(figures: Figures) -> Figure:
    figure, axes = _frame("Receivables at the end by days past due")
    names = [name for name, _ in figures.aging]
    amounts = [float(amount) for _, amount in figures.aging]
    if not any(amounts):
        _no_data(axes)
        return figure
    colors = ["#90a4ae", "#ffe082", "#ffca28", "#ffa000", "#f57c00", TARGET_COLOR]
    axes.bar(names, amounts, color=colors[: len(names)])
    total = sum(amounts)
    for position, amount in enumerate(amounts):
        axes.annotate(
            f"{_dollars(amount)} ({amount / total * 100:.0f} %)",
            (position, amount),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    axes.yaxis.set_major_formatter(FuncFormatter(_dollars))
    axes.set_xlabel("days past due", fontsize=9)
    return figure


def client_concentration(figures: Figures) -> Figure:
    figure, axes = _frame("Client concentration: cumulative share of revenue (Lorenz curve)")
    revenues = [client.revenue for client in figures.clients]
    if not revenues or not sum(revenues, Decimal(0)):
        _no_data(axes)
        return figure
    points = lorenz(revenues)
    axes.plot([0, 1], [0, 1], color=OTHER_COLOR, linestyle="--", linewidth=1, label="equal shares")
    axes.plot([x for x, _ in points], [y for _, y in points], color="#1565c0", label="clients")
    axes.fill_between(
        [x for x, _ in points],
        [y for _, y in points],
        [x for x, _ in points],
        color="#1565c0",
        alpha=0.1,
    )
    top = min(TOP_CLIENTS, len(revenues))
    share = top_share(revenues, top) or 0.0
    x = 1 - top / len(revenues)
    axes.annotate(
        f"top {top} clients: {share * 100:.1f} % of revenue",
        (x, 1 - share),
        xytext=(-150, 20),
        textcoords="offset points",
        arrowprops={"arrowstyle": "->"},
        fontsize=8,
    )
    axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_xlabel("share of clients with sales, smallest first", fontsize=9)
    axes.legend(fontsize=8, loc="upper left")
    return figure


def outdoor_cogs(figures: Figures) -> Figure:
    figure, axes = _frame("Outdoor flower: average unit cost by intake quarter ($/lb)")
    quarters = figures.outdoor_cogs_by_quarter
    if not quarters:
        _no_data(axes)
        return figure
    names = [f"Q{quarter}" for quarter, _, _ in quarters]
    costs = [float(cogs) for _, cogs, _ in quarters]
    axes.bar(names, costs, color=_color(FLOWER))
    for position, (cost, (_, _, batches)) in enumerate(zip(costs, quarters, strict=True)):
        axes.annotate(
            f"${cost:,.0f} ({batches} batches)",
            (position, cost),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    axes.yaxis.set_major_formatter(FuncFormatter(_dollars))
    return figure


# name (the element id in the page) -> drawing
CHARTS: dict[str, Callable[[Figures], Figure]] = {
    "revenue-by-month": revenue_by_month,
    "margin-by-category": margin_by_category,
    "months-on-hand": months_on_hand,
    "receivables-aging": receivables_aging,
    "outdoor-cogs": outdoor_cogs,
    "client-concentration": client_concentration,
}


def render(figures: Figures) -> dict[str, str]:
    """Every chart's inline SVG, by name."""
    return {name: inline_svg(draw(figures), name) for name, draw in CHARTS.items()}
