"""Backtest: forecast each past month from the data known at its start, and compare with the grams used.

The snapshot at a month's start keeps what was known then: recurring orders started by then (their end is
not known in advance, so they run open, unless the caller says the ends were planned; the next dose is due
one interval after the order's last use, or on its start), courses that had started (their doses from that
day on), bookings made by then (a booking without a booking date is not used), and the use before that day.
Patients and products with no order started by then get the regimen their use shows, if it shows one
(`infer_regimens`): an export may keep only each patient's latest order. The forecast covers the month; the
actual is the use recorded in it. The absolute percentage error of a product's month is |actual - forecast|
/ actual x 100 (months without use have none); MAPE is their mean, per product and per month (all products
together for the month).
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ivig.clinical.supply.forecast import ForecastSettings, forecast_demand
from ivig.clinical.supply.model import ActiveCourse, RecurringOrder, SupplyData, UsageRecord

ALL_PRODUCTS = "all products"


@dataclass(frozen=True, slots=True)
class BacktestCell:
    product: str
    month: date  # the first day of the month
    forecast_g: float
    actual_g: float
    lower_g: float | None = None  # the forecast's band for the month (cumulative at its end)
    upper_g: float | None = None

    @property
    def within_band(self) -> bool | None:
        if self.lower_g is None or self.upper_g is None:
            return None
        return self.lower_g <= self.actual_g <= self.upper_g

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

    def band_coverage_pct(self) -> float | None:
        """The share of product-months whose use fell within the forecast's band (the band aims at 90 %)."""
        inside = [
            c.within_band for c in self.cells if c.product != ALL_PRODUCTS and c.within_band is not None
        ]
        return 100.0 * sum(inside) / len(inside) if inside else None

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


# Regimens read from use (`infer_regimens`): uses within CYCLE_DAYS of a cycle's first day are one cycle;
# a regimen needs MIN_CYCLES cycles, a median gap between them within INTERVAL_RANGE_DAYS (SC weekly to
# IV every 8 weeks), and its last cycle no longer ago than ACTIVE_GAPS gaps. Method choices, not clinical.
CYCLE_DAYS = 5
MIN_CYCLES = 3
INTERVAL_RANGE_DAYS = (7, 56)
ACTIVE_GAPS = 1.5
_RECENT_GAPS = 4


def infer_regimens(
    usage: Iterable[UsageRecord], when: date, skip: Collection[tuple[str, str]] = ()
) -> list[RecurringOrder]:
    """Recurring regimens read from each patient's use of each product before `when`.

    For exports that keep only the latest order per patient (the demo's), past months would otherwise have
    no regimens at all. `skip`: (patient, product) pairs whose orders say what was known.
    """
    days: dict[tuple[str, str], dict[date, float]] = defaultdict(lambda: defaultdict(float))
    for record in usage:
        if record.patient_id and record.day < when and (record.patient_id, record.product) not in skip:
            days[(record.patient_id, record.product)][record.day] += record.grams
    regimens = []
    for (patient, product), by_day in days.items():
        cycles: list[list[tuple[date, float]]] = []
        for day in sorted(by_day):
            if cycles and (day - cycles[-1][0][0]).days < CYCLE_DAYS:
                cycles[-1].append((day, by_day[day]))
            else:
                cycles.append([(day, by_day[day])])
        if len(cycles) < MIN_CYCLES:
            continue
        starts = [c[0][0] for c in cycles[-(_RECENT_GAPS + 1) :]]
        interval = round(statistics.median((b - a).days for a, b in itertools.pairwise(starts)))
        last = cycles[-1]
        if not INTERVAL_RANGE_DAYS[0] <= interval <= INTERVAL_RANGE_DAYS[1]:
            continue
        if (when - last[0][0]).days > ACTIVE_GAPS * interval:
            continue
        regimens.append(
            RecurringOrder(
                order_id=f"inferred:{patient}:{product}",
                patient_id=patient,
                product=product,
                dose_g=sum(grams for _, grams in last),
                interval_days=interval,
                next_due=last[0][0] + timedelta(days=interval),
                days_per_cycle=min(len(last), interval),
                started_on=starts[0],
            )
        )
    return regimens


def snapshot_at(
    data: SupplyData, when: date, *, planned_ends: bool = False, regimens_from_use: bool = False
) -> SupplyData:
    """What was known at the start of `when`: see the module docstring.

    `planned_ends`: the orders' `until` was planned when they were written (a number of cycles), so it was
    known; by default it is the day the order ended, which nobody knew in advance. `regimens_from_use`: add
    the regimens read from use (`infer_regimens`) for patients and products without an order then.
    """
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
        recurring.append(replace(order, next_due=next_due, until=order.until if planned_ends else None))
    if regimens_from_use:
        known = {
            (o.patient_id, o.product)
            for o in data.recurring
            if o.started_on is not None and o.started_on <= when
        }
        recurring += infer_regimens(data.usage, when, known)
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
    data: SupplyData,
    settings: ForecastSettings | None = None,
    months: Iterable[date] | None = None,
    *,
    planned_ends: bool = False,
    regimens_from_use: bool = True,
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
        forecast = forecast_demand(
            snapshot_at(data, start, planned_ends=planned_ends, regimens_from_use=regimens_from_use),
            replace(settings, horizon_days=horizon),
        )
        slugs = {p.product for p in forecast.products} | {p for p, m in actual if m == start}
        total_forecast = total_actual = 0.0
        for slug in sorted(slugs):
            pf = forecast.for_product(slug)
            predicted = pf.total_g if pf else 0.0
            used = actual.get((slug, start), 0.0)
            total_forecast += predicted
            total_actual += used
            low = pf.cumulative_lower_g[-1] if pf and pf.cumulative_lower_g else predicted
            high = pf.cumulative_upper_g[-1] if pf and pf.cumulative_upper_g else predicted
            cells.append(
                BacktestCell(slug, start, round(predicted, 1), round(used, 1), round(low, 1), round(high, 1))
            )
        cells.append(BacktestCell(ALL_PRODUCTS, start, round(total_forecast, 1), round(total_actual, 1)))
    return BacktestResult(tuple(cells))
