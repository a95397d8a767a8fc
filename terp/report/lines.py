"""The report's figures as lines a person reads: each with its value, its target when it
has one, and whether the target is met. The text output and the HTML page both print
these, so the two never disagree. Where each target comes from: docs/reporting.md."""

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from terp.report.figures import FLOWER, ClientSales, Figures

TOP_CLIENTS = 10
WHALE_RATIO_TARGET = 1.3


@dataclass(frozen=True)
class Target:
    """A bound on a figure: `text` as printed ("<= 4"), `holds` the check itself."""

    text: str
    holds: Callable[[float], bool]


# The tolerance keeps a share printed as exactly the bound (10.0 %) on the right side of
# it despite float rounding.
def at_least(bound: float, text: str) -> Target:
    return Target(f">= {text}", lambda value: value >= bound - 1e-12)


def at_most(bound: float, text: str) -> Target:
    return Target(f"<= {text}", lambda value: value <= bound + 1e-12)


def below(bound: float, text: str) -> Target:
    return Target(f"< {text}", lambda value: value < bound)


NONE = Target("0", lambda value: value == 0)


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    target: str | None = None  # "target >= 10 %" when judged, else a reference ("TERP: 0.5 %")
    judged: bool = False
    met: bool | None = None  # judged lines only; None: no data to judge (no CASH payment)

    @property
    def verdict(self) -> str | None:
        if not self.judged:
            return None
        if self.met is None:
            return "no data"
        return "met" if self.met else "not met"

    def __str__(self) -> str:
        text = f"{self.label}: {self.value}"
        if self.target:
            text += f" ({self.target})"
        if self.verdict:
            text += f": {self.verdict}"
        return text


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]


def share(part: float | Decimal | int, whole: float | Decimal | int) -> float | None:
    return float(part) / float(whole) if whole else None


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f} %"


def money(value: Decimal | float | None) -> str:
    return "n/a" if value is None else f"${value:,.2f}"


def count(value: int) -> str:
    return f"{value:,}"


def quantity(value: Decimal | float) -> str:
    return f"{value:,.1f}".removesuffix(".0")


def checked(label: str, value: float | None, shown: str, target: Target, suffix: str = "") -> Line:
    """A figure against its target; no data (value None) is neither met nor missed."""
    met = None if value is None else target.holds(value)
    return Line(label, shown + suffix, f"target {target.text}", judged=True, met=met)


def lorenz(revenues: list[Decimal]) -> list[tuple[float, float]]:
    """(share of clients, share of revenue), smallest clients first, from (0, 0)."""
    ordered = sorted(revenues)
    total = sum(ordered, Decimal(0))
    points = [(0.0, 0.0)]
    running = Decimal(0)
    for index, revenue in enumerate(ordered, start=1):
        running += revenue
        points.append((index / len(ordered), float(running / total) if total else 0.0))
    return points


def gini(revenues: list[Decimal]) -> float | None:
    """Twice the area between the Lorenz curve and the line of equality."""
    points = lorenz(revenues)
    if len(points) < 2 or points[-1][1] == 0:
        return None
    area = sum((x1 - x0) * (y0 + y1) / 2 for (x0, y0), (x1, y1) in pairwise(points))
    return 1 - 2 * area


def top_share(revenues: list[Decimal], clients: int) -> float | None:
    ordered = sorted(revenues, reverse=True)
    return share(sum(ordered[:clients], Decimal(0)), sum(ordered, Decimal(0)))


def _mean_sale(clients: tuple[ClientSales, ...]) -> Decimal | None:
    sales = sum(client.sales for client in clients)
    total = sum((client.sales_total for client in clients), Decimal(0))
    return total / sales if sales else None


def average_sale(figures: Figures) -> tuple[Decimal | None, Decimal | None]:
    """The mean confirmed-sale total of the top clients by revenue, and of everyone else."""
    return _mean_sale(figures.clients[:TOP_CLIENTS]), _mean_sale(figures.clients[TOP_CLIENTS:])


def sections(figures: Figures) -> Iterator[Section]:
    yield Section("category mix", tuple(_category_mix(figures)))
    yield Section("stock", tuple(_stock(figures)))
    yield Section("credit", tuple(_credit(figures)))
    yield Section("payments", tuple(_payments(figures)))
    yield Section("whales", tuple(_whales(figures)))
    yield Section("harvest", tuple(_harvest(figures)))
    yield Section("returns, refunds, VOID", tuple(_returns(figures)))
    yield Section("text and habits", tuple(_text(figures)))
    yield Section("client concentration", tuple(_concentration(figures)))


def _category_mix(figures: Figures) -> Iterator[Line]:
    for category in figures.categories:
        value = percent(share(category.revenue, figures.revenue))
        yield Line(f"revenue share, {category.category}", f"{value} ({money(category.revenue)})")
    non_flower = sum((c.revenue for c in figures.categories if c.category != FLOWER), Decimal(0))
    non_flower_share = share(non_flower, figures.revenue)
    yield checked(
        "non-flower share of revenue",
        non_flower_share,
        percent(non_flower_share),
        at_least(0.10, "10 %"),
    )
    median = figures.non_flower_median_quantity
    yield Line(
        "median quantity of a non-flower line", "n/a" if median is None else f"{median:g} units"
    )
    margins = []
    for category in figures.categories:
        if category.margin is None:
            continue
        margins.append(category.margin)
        spread = ""
        if category.margin_p10 is not None and category.margin_p90 is not None:
            spread = (
                f" (line margins p10-p90: {percent(category.margin_p10)} to "
                f"{percent(category.margin_p90)})"
            )
        yield Line(f"margin, {category.category}", percent(category.margin) + spread)
    spread_points = (max(margins) - min(margins)) * 100 if margins else None
    yield checked(
        "margin spread between categories",
        spread_points,
        "n/a" if spread_points is None else f"{spread_points:.1f} points",
        at_least(5, "5 points"),
    )


def _stock(figures: Figures) -> Iterator[Line]:
    flower = figures.category(FLOWER)
    on_hand = flower.on_hand if flower else Decimal(0)
    monthly = flower.monthly_sales if flower else Decimal(0)
    yield Line("flower on hand at the end", f"{quantity(on_hand)} lb")
    yield Line("flower sold a month, average of the last three months", f"{quantity(monthly)} lb")
    months = flower.months_on_hand if flower else None
    yield checked(
        "flower months on hand",
        months,
        "n/a" if months is None else f"{months:.1f}",
        at_most(4, "4"),
    )
    for category in figures.categories:
        if category.category == FLOWER:
            continue
        months = category.months_on_hand
        unit = "units"
        yield Line(
            f"months on hand, {category.category}",
            ("n/a" if months is None else f"{months:.1f}")
            + f" ({quantity(category.on_hand)} {unit} on hand)",
        )
    oldest = figures.oldest_live_batch_months
    yield checked(
        "age of the oldest LIVE batch",
        oldest,
        "n/a" if oldest is None else f"{oldest:.1f} months",
        at_most(12, "12 months"),
    )
    for label, tally in (("RETURN movements", figures.returns), ("write-offs", figures.write_offs)):
        yield Line(
            label,
            f"{count(tally.movements)} ({quantity(tally.pounds)} lb, "
            f"{quantity(tally.units)} units)",
        )


def _credit(figures: Figures) -> Iterator[Line]:
    yield Line("receivables at the end", money(figures.receivables))
    overdue = share(figures.overdue, figures.receivables)
    yield checked(
        "overdue share of receivables",
        overdue,
        percent(overdue),
        at_most(0.15, "15 %, TERP"),
        f" ({money(figures.overdue)})",
    )
    of_overdue = share(figures.over_120, figures.overdue)
    yield Line(
        "share of overdue debt more than 120 days past due",
        percent(of_overdue),
        "TERP: about half",
    )
    clients = share(figures.clients_over_120, figures.clients_with_invoices)
    yield checked(
        "clients holding debt more than 120 days past due",
        clients,
        percent(clients),
        at_most(0.25, "25 %"),
        f" ({count(figures.clients_over_120)} of {count(figures.clients_with_invoices)} "
        "clients with invoices)",
    )
    over_120 = share(figures.over_120, figures.receivables)
    yield checked(
        "debt more than 120 days past due, share of receivables",
        over_120,
        percent(over_120),
        at_most(0.30, "30 %"),
        f" ({money(figures.over_120)})",
    )
    behind = figures.sales_on_credit_while_behind
    yield checked(
        "credit sales while the client held debt more than 90 days past due",
        behind,
        count(behind),
        NONE,
        f" ({money(figures.sales_on_credit_while_behind_total)})",
    )
    yield Line(
        "written-off invoices",
        f"{count(figures.written_off_invoices)} ({money(figures.written_off_amount)})",
    )


def _payments(figures: Figures) -> Iterator[Line]:
    weekend = share(figures.weekend_payments, figures.payments)
    yield Line(
        "payments on Saturday or Sunday",
        f"{percent(weekend)} ({count(figures.weekend_payments)} of {count(figures.payments)})",
    )
    cash = share(figures.cash_weekend_payments, figures.cash_payments)
    yield checked(
        "CASH payments on Saturday or Sunday",
        cash,
        percent(cash),
        at_most(0.05, "5 %"),
        f" ({count(figures.cash_weekend_payments)} of {count(figures.cash_payments)})",
    )
    yield checked(
        "other payments on Saturday or Sunday",
        figures.other_weekend_payments,
        count(figures.other_weekend_payments),
        NONE,
    )
    yield checked(
        "CREDIT_CARD payments",
        figures.credit_card_payments,
        count(figures.credit_card_payments),
        NONE,
    )


def _whales(figures: Figures) -> Iterator[Line]:
    top, rest = average_sale(figures)
    yield Line(f"average sale, top {TOP_CLIENTS} clients by revenue", money(top))
    yield Line("average sale, everyone else", money(rest))
    ratio = float(top / rest) if top is not None and rest else None
    yield checked(
        f"whale ratio (top {TOP_CLIENTS} / everyone else)",
        ratio,
        "n/a" if ratio is None else f"{ratio:.2f}",
        at_least(WHALE_RATIO_TARGET, f"{WHALE_RATIO_TARGET}"),
    )


def _harvest(figures: Figures) -> Iterator[Line]:
    harvest = share(figures.outdoor_harvest_intake, figures.outdoor_intake)
    yield checked(
        "outdoor flower received September to November",
        harvest,
        percent(harvest),
        at_least(0.50, "50 %"),
        f" (of {quantity(figures.outdoor_intake)} lb)",
    )
    by_quarter = ", ".join(
        f"Q{quarter} {money(cogs)}" for quarter, cogs, _ in figures.outdoor_cogs_by_quarter
    )
    yield Line("outdoor unit cogs by intake quarter", by_quarter or "n/a")


def _returns(figures: Figures) -> Iterator[Line]:
    sales = figures.confirmed_sales
    yield Line(
        "confirmed sales with a RETURN or REFUND_RETURN movement",
        f"{count(figures.sales_returned)} ({percent(share(figures.sales_returned, sales))} "
        "of confirmed sales)",
        "TERP: 0.5 %",
    )
    yield Line(
        "refund payments (SENT to a client)",
        f"{count(figures.refund_payments)} ({percent(share(figures.refund_payments, sales))} "
        "of confirmed sales)",
        "TERP: 5 % of orders",
    )
    yield Line(
        "VOID invoices",
        f"{count(figures.void_invoices)} ({percent(share(figures.void_invoices, sales))} "
        "of confirmed sales)",
    )


def _text(figures: Figures) -> Iterator[Line]:
    unique = share(figures.distinct_product_names, figures.products)
    yield Line(
        "distinct product names",
        f"{count(figures.distinct_product_names)} of {count(figures.products)} ({percent(unique)})",
    )
    yield Line(
        "strains with a parent",
        f"{count(figures.strains_with_parent)} of {count(figures.strains)}",
    )
    in_hours = share(figures.orders_in_hours, figures.orders)
    yield checked(
        "orders created 07:00-19:00 Pacific",
        in_hours,
        percent(in_hours),
        at_least(0.95, "95 %"),
        f" (of {count(figures.orders)} orders)",
    )
    weekdays = share(figures.orders_on_weekdays, figures.orders)
    yield checked(
        "orders created Monday to Friday (Pacific)",
        weekdays,
        percent(weekdays),
        at_least(0.85, "85 %"),
    )
    admins = share(figures.orders_by_admins, figures.orders)
    yield checked(
        "orders created by admins", admins, percent(admins), below(0.5, "50 %, staff create most")
    )


def _concentration(figures: Figures) -> Iterator[Line]:
    revenues = [client.revenue for client in figures.clients]
    yield Line(
        f"revenue share of the top {TOP_CLIENTS} clients",
        percent(top_share(revenues, TOP_CLIENTS)),
        "TERP: 10 whales bring 70 %",
    )
    if revenues:
        parts = []
        for fraction in (0.1, 0.2, 0.5):
            clients = max(1, math.ceil(fraction * len(revenues)))
            parts.append(f"top {fraction * 100:.0f} % {percent(top_share(revenues, clients))}")
        yield Line(
            "cumulative revenue share",
            ", ".join(parts) + f" (of {count(len(revenues))} clients with sales)",
        )
    coefficient = gini(revenues)
    yield Line(
        "Gini coefficient of client revenue",
        "n/a" if coefficient is None else f"{coefficient:.2f}",
    )


def targets(all_sections: list[Section]) -> tuple[int, int]:
    """(met, judged): lines with a target and the data to judge it."""
    judged = [line for section in all_sections for line in section.lines if line.met is not None]
    return sum(1 for line in judged if line.met), len(judged)
