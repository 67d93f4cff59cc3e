"""Backtest: forecast each past month from the data known at its start, and compare with the grams used.

The snapshot at a month's start keeps what was known then: recurring orders started by then (their end is
not known in advance, so they run open; the next dose is due one interval after the order's last use, or
on its start), courses that had started (their doses from that day on), bookings made by then (a booking
without a booking date is not used), and the use before that day. The forecast covers the month; the actual
is the use recorded in it. The absolute percentage error of a product's month is |actual - forecast| /
actual x 100 (months without use have none); MAPE is their mean, per product and per month (all products
together for the month).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ivig.clinical.supply.forecast import ForecastSettings, forecast_demand
from ivig.clinical.supply.model import ActiveCourse, SupplyData

ALL_PRODUCTS = "all products"


@dataclass(frozen=True, slots=True)
class BacktestCell:
    product: str
    month: date  # the first day of the month
    forecast_g: float
    actual_g: float

    @property
    def ape_pct(self) -> float | None:
        """Absolute percentage error; None when nothing was used (the error is not defined)."""
        if self.actual_g <= 0:
            return None
        return abs(self.actual_g - self.forecast_g) / self.actual_g * 100.0

    @property
    def relative_error(self) -> float | None:
        """(actual - forecast) / forecast: how far use fell from the forecast, for the error band."""
        if self.forecast_g <= 0:
            return None
        return (self.actual_g - self.forecast_g) / self.forecast_g


def mape(cells: Iterable[BacktestCell]) -> float | None:
    """Mean of the absolute percentage errors that are defined; None when none is."""
    errors = [e for e in (c.ape_pct for c in cells) if e is not None]
    return sum(errors) / len(errors) if errors else None


@dataclass(frozen=True, slots=True)
class BacktestResult:
    cells: tuple[BacktestCell, ...]  # per product and month, and ALL_PRODUCTS per month

    @property
    def months(self) -> tuple[date, ...]:
        return tuple(sorted({c.month for c in self.cells}))

    @property
    def products(self) -> tuple[str, ...]:
        return tuple(sorted({c.product for c in self.cells} - {ALL_PRODUCTS}))

    def cell(self, product: str, month: date) -> BacktestCell | None:
        return next((c for c in self.cells if c.product == product and c.month == month), None)

    def mape_by_product(self) -> dict[str, float | None]:
        return {p: mape(c for c in self.cells if c.product == p) for p in (*self.products, ALL_PRODUCTS)}

    def mape_by_month(self) -> dict[date, float | None]:
        """Per month, the error of all products together."""
        return {
            m: mape(c for c in self.cells if c.month == m and c.product == ALL_PRODUCTS) for m in self.months
        }

    def relative_errors(self) -> list[float]:
        """Per product and month, for `forecast.error_band`."""
        return [e for c in self.cells if c.product != ALL_PRODUCTS and (e := c.relative_error) is not None]


def month_starts(first: date, last: date) -> list[date]:
    """The first days of the months starting after `first` and ending by `last` (whole months only)."""
    end = last + timedelta(days=1)
    out: list[date] = []
    year, month = first.year, first.month
    while True:
        month += 1
        if month == 13:
            year, month = year + 1, 1
        start = date(year, month, 1)
        if _next_month(start) > end:
            return out
        out.append(start)


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def snapshot_at(data: SupplyData, when: date) -> SupplyData:
    """What was known at the start of `when`: see the module docstring."""
    last_use: dict[str, date] = {}
    for record in data.usage:
        if record.order_id and record.day < when:
            previous = last_use.get(record.order_id)
            if previous is None or record.day > previous:
                last_use[record.order_id] = record.day
    recurring = []
    for order in data.recurring:
        if order.started_on is None or order.started_on > when:
            continue
        if order.until is not None and order.until < when:
            continue
        last = last_use.get(order.order_id)
        next_due = order.started_on if last is None else last + timedelta(days=order.interval_days)
        recurring.append(replace(order, next_due=next_due, until=None))
    courses = []
    for course in data.courses:
        if not course.remaining or min(d.day for d in course.remaining) >= when:
            continue
        remaining = tuple(d for d in course.remaining if d.day >= when)
        if remaining:
            courses.append(ActiveCourse(course.order_id, course.patient_id, course.product, remaining))
    return SupplyData(
        as_of=when,
        products=data.products,
        recurring=tuple(recurring),
        courses=tuple(courses),
        appointments=tuple(
            a for a in data.appointments if a.booked_on is not None and a.booked_on <= when <= a.day
        ),
        usage=tuple(u for u in data.usage if u.day < when),
        site=data.site,
    )


def backtest(
    data: SupplyData, settings: ForecastSettings | None = None, months: Iterable[date] | None = None
) -> BacktestResult:
    """Forecast each whole month of the history from the data before it; compare with the use in it.

    By default every whole month after the first recorded use and before `data.as_of`.
    """
    settings = settings or ForecastSettings()
    if not data.usage:
        return BacktestResult(())
    if months is None:
        months = month_starts(min(u.day for u in data.usage), data.as_of - timedelta(days=1))
    actual: dict[tuple[str, date], float] = defaultdict(float)
    starts = sorted(months)
    wanted = set(starts)
    for record in data.usage:
        month = record.day.replace(day=1)
        if month in wanted:
            actual[(record.product, month)] += record.grams
    cells = []
    for start in starts:
        horizon = (_next_month(start) - start).days
        forecast = forecast_demand(snapshot_at(data, start), replace(settings, horizon_days=horizon))
        slugs = {p.product for p in forecast.products} | {p for p, m in actual if m == start}
        total_forecast = total_actual = 0.0
        for slug in sorted(slugs):
            pf = forecast.for_product(slug)
            predicted = pf.total_g if pf else 0.0
            used = actual.get((slug, start), 0.0)
            total_forecast += predicted
            total_actual += used
            cells.append(BacktestCell(slug, start, round(predicted, 1), round(used, 1)))
        cells.append(BacktestCell(ALL_PRODUCTS, start, round(total_forecast, 1), round(total_actual, 1)))
    return BacktestResult(tuple(cells))
