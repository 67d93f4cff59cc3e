"""The reports, each with its title, what it counts, and how its chart is drawn from its own table.

A chart is drawn from the same rows the table shows, so the picture and the numbers cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ivig.lib.charts import BarChart, BarSeries
from ivig.reports import reviews, safety, savings, usage
from ivig.reports.period import Period
from ivig.reports.tables import ReportResult, Table


@dataclass(frozen=True)
class ReportSpec:
    slug: str
    title: str
    description: str
    build: Callable[[Period, date], ReportResult]
    uses_period: bool = True


def _bars(table: Table, column: int, y_label: str, title: str, slug: str, unit: str = "") -> ReportResult:
    labels = [str(row[0]) for row in table.rows]
    values = [float(row[column] or 0) for row in table.rows]
    chart = BarChart(labels, [BarSeries(table.columns[column], "chart-bar", values)], y_label, unit=unit)
    description = "; ".join(f"{label}: {value:g}{unit}" for label, value in zip(labels, values, strict=True))
    return ReportResult(table, chart.render(title, description or "No data in this period.", f"chart-{slug}"))


def _grams(by: str, build: Callable[[Period], Table], description: str) -> ReportSpec:
    """One of the grams-dispensed reports: grams by indication, product, prescriber or month."""
    slug = f"grams-by-{by}"

    def run(period: Period, _today: date) -> ReportResult:
        return _bars(build(period), 4, "grams", f"Grams dispensed by {by}", slug, " g")

    return ReportSpec(slug, f"Grams by {by}", description, run)


def _patients(period: Period, _today: date) -> ReportResult:
    table = usage.patients_on_therapy(period)
    return _bars(table, 1, "patients", "Patients on therapy per month", "patients")


def _infusions(period: Period, _today: date) -> ReportResult:
    table = usage.infusions_per_day(period)
    by_day = {row[0]: row for row in table.rows}
    days = [f"{day:%Y-%m-%d}" for day in period.days()]
    centre = [float(by_day[d][1]) if d in by_day else 0.0 for d in days]
    home = [float(by_day[d][2]) if d in by_day else 0.0 for d in days]
    series = [BarSeries("Centre", "chart-bar s0", centre), BarSeries("Home", "chart-bar s1", home)]
    labels = [f"{day:%d %b}" for day in period.days()]  # short on the axis; the table has the full dates
    chart = BarChart(labels, series, "infusions", stacked=True)
    total = table.total or ("", 0, 0, 0)
    text = f"{total[3]} infusions on {len(table.rows)} days: {total[1]} in the centre, {total[2]} at home."
    return ReportResult(
        table,
        chart.render("Infusions per day", text, "chart-infusions"),
        key=[("s0", "Centre"), ("s1", "Home")],
        notes=[text],
    )


def _reactions(period: Period, _today: date) -> ReportResult:
    return _bars(
        safety.reactions_by_product(period),
        5,
        "per 100 infusions",
        "Reactions per 100 infusions",
        "reactions",
    )


def _wastage(period: Period, _today: date) -> ReportResult:
    table = safety.wastage(period)
    by_reason: dict[str, float] = {}
    for row in table.rows:
        by_reason[row[0]] = by_reason.get(row[0], 0.0) + float(row[3])
    summary = Table(("Reason", "Grams"), list(by_reason.items()))
    chart = BarChart(
        list(by_reason), [BarSeries("Grams", "chart-bar s1", list(by_reason.values()))], "grams", unit=" g"
    )
    text = "; ".join(f"{row[0]}: {row[1]:g} g" for row in summary.rows) or "No wastage in this period."
    return ReportResult(table, chart.render("Grams wasted by reason", text, "chart-wastage"))


def _savings(period: Period, _today: date) -> ReportResult:
    table, skipped = savings.savings_by_indication(period)
    labels = [str(row[0]) for row in table.rows]
    policy = [float(row[5]) for row in table.rows]
    rounding = [float(row[6]) for row in table.rows]
    chart = BarChart(
        labels,
        [
            BarSeries("Weight policy", "chart-bar s0", policy),
            BarSeries("Vial rounding", "chart-bar s2", rounding),
        ],
        "grams saved",
        unit=" g",
    )
    text = "; ".join(
        f"{label}: {p:g} g by weight policy, {r:g} g by rounding"
        for label, p, r in zip(labels, policy, rounding, strict=True)
    )
    notes = [
        "Saved grams compare each dispensed order with the same order planned on actual body weight; "
        "a negative number means rounding to whole vials added grams."
    ]
    if skipped:
        notes.append(f"{skipped} dispensed order(s) could not be planned again and are left out.")
    return ReportResult(
        table,
        chart.render("Grams saved", text or "No dispensed orders in this period.", "chart-savings"),
        key=[("s0", "Weight policy"), ("s2", "Vial rounding")],
        notes=notes,
    )


def _authorisations(_period: Period, today: date) -> ReportResult:
    table = reviews.expiring_authorisations(today)
    counts = reviews.bucket_counts(table)
    buckets = [label for label, _count in counts]
    values = [float(count) for _label, count in counts]
    chart = BarChart(buckets, [BarSeries("Authorisations", "chart-bar s3", values)], "authorisations")
    text = "; ".join(f"{label}: {count}" for label, count in counts)
    return ReportResult(
        table, chart.render("Authorisations ending", text, "chart-authorisations"), notes=[text]
    )


def _compliance(period: Period, today: date) -> ReportResult:
    table = reviews.review_compliance_by_indication(period, today)
    labels = [str(row[0]) for row in table.rows]
    due = [float(row[1]) for row in table.rows]
    recorded = [float(row[2]) for row in table.rows]
    chart = BarChart(
        labels,
        [BarSeries("Due", "chart-bar s0", due), BarSeries("Recorded", "chart-bar s2", recorded)],
        "reviews",
    )
    text = "; ".join(f"{row[0]}: {row[2]} of {row[1]} recorded" for row in table.rows) or "No reviews due."
    return ReportResult(
        table,
        chart.render("Outcome reviews due and recorded", text, "chart-compliance"),
        key=[("s0", "Due"), ("s2", "Recorded")],
        notes=[
            "A review is due 6 months after ongoing therapy starts, then 12 months after each review; "
            "a one-off course needs its outcome recorded (docs/reference/outcomes.md s10). "
            "Only reviews due by today count."
        ],
    )


REPORTS: tuple[ReportSpec, ...] = (
    _grams("indication", usage.grams_by_indication, "Grams dispensed per indication."),
    _grams("product", usage.grams_by_product, "Grams dispensed per product."),
    _grams("prescriber", usage.grams_by_prescriber, "Grams dispensed on each prescriber's orders."),
    _grams("month", usage.grams_by_month, "Grams dispensed each month."),
    ReportSpec(
        "patients-on-therapy",
        "Patients on therapy",
        "Patients with an order dispensed, per month.",
        _patients,
    ),
    ReportSpec(
        "infusions-per-day", "Infusions per day", "Infusions started each day, centre and home.", _infusions
    ),
    ReportSpec(
        "reactions",
        "Reactions per 100 infusions",
        "Flowsheet reactions per 100 infusions, by product.",
        _reactions,
    ),
    ReportSpec(
        "wastage", "Wastage", "Vials and grams wasted, by reason and product (stock ledger).", _wastage
    ),
    ReportSpec(
        "savings",
        "Grams saved",
        "Grams saved by the weight policy and by vial rounding, against actual-weight dosing.",
        _savings,
    ),
    ReportSpec(
        "authorisations",
        "Authorisations expiring",
        "Approvals ending in the next 30, 60 and 90 days.",
        _authorisations,
        uses_period=False,
    ),
    ReportSpec(
        "compliance", "Outcome-recording compliance", "Reviews due and recorded, per indication.", _compliance
    ),
)
BY_SLUG = {spec.slug: spec for spec in REPORTS}
