"""Demand forecast per product over a horizon: booked, projected, courses under way and the recent trend.

Method (docs/features/supply.md):

1. Known work. Recurring orders are projected from their next due day every `interval_days` (a cycle over
   several days is split evenly); courses under way give their remaining doses; bookings give theirs.
   A booked appointment *replaces* the projected dose it stands for: one with the same order (or, without an
   order id, the same patient and product) within half an interval of a projected recurring dose, or within
   `course_window_days` of a course dose. Each projection is replaced at most once, so booked work is never
   counted twice.
2. Grams are dispensed grams: each day's dose is planned in the product's whole vials by the dosing engine
   (`ivig.clinical.vials.plan_vials`, the site's rounding rule), since whole vials leave the stock.
3. The trend. The mean daily grams used over the last `trend_weeks` weeks, minus what the current recurring
   orders explain (their grams per day), is the rate of other demand: new patients, acute courses. Known
   courses and unlinked bookings are the first part of that demand: cumulative other demand to day d is the
   larger of the known courses' cumulative grams and rate x (d + 1), so they are not added on top of it.
4. The band. Projected (not yet booked) doses and the other demand vary like counts of events
   (Poisson-like): a projected dose of g grams adds g^2 to the variance, other demand adds rate x mean grams
   per dispensing; booked and course doses add none. Lower/upper = expected -/+ z sd (z 1.645: 90 %),
   cumulated over days. When a backtest gave an error band (`ErrorBand`, from past relative errors), the
   cumulative band is widened to cover it too.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from ivig.clinical.catalog.model import VialSize
from ivig.clinical.settings import RoundingRule
from ivig.clinical.supply.model import SupplyData, SupplyInputError
from ivig.clinical.vials import VialError, plan_vials

DEFAULT_HORIZON_DAYS = 90
# z for a two-sided 90 % normal band.
Z_90 = 1.645
_EXPORT_SOURCE = "site data export"


@dataclass(frozen=True, slots=True)
class ErrorBand:
    """Relative errors of past forecasts, (actual - forecast) / forecast, e.g. the 5th and 95th centiles."""

    low: float  # <= 0
    high: float  # >= 0
    source: str = "backtest"


@dataclass(frozen=True, slots=True)
class ForecastSettings:
    horizon_days: int = DEFAULT_HORIZON_DAYS
    # Site decision: 8 weeks of use give two to three PI cycles per patient (no source names a window).
    trend_weeks: int = 8
    use_trend: bool = True
    band_z: float = Z_90
    # A booked dose within this many days of a course dose of the same order stands for it.
    course_window_days: int = 1
    error_band: ErrorBand | None = None
    rounding_rule: RoundingRule = RoundingRule.NEAREST_VIAL
    rounding_tolerance_pct: float = 10.0

    def __post_init__(self) -> None:
        if self.horizon_days < 1 or self.trend_weeks < 1:
            raise SupplyInputError("the horizon and the trend window must be at least 1 day / week")


@dataclass(frozen=True, slots=True)
class VialDemand:
    size_g: float
    vials: float  # expected vials of this size over the horizon


@dataclass(frozen=True, slots=True)
class ProductForecast:
    product: str
    start: date
    expected_g: tuple[float, ...]  # per day, day 0 = start
    lower_g: tuple[float, ...]
    upper_g: tuple[float, ...]
    cumulative_expected_g: tuple[float, ...]
    cumulative_lower_g: tuple[float, ...]
    cumulative_upper_g: tuple[float, ...]
    booked_g: float  # booked appointments over the horizon
    projected_g: float  # recurring doses not yet booked
    course_g: float  # course doses not yet booked
    other_g: float  # other demand from the trend beyond the known courses and bookings
    trend_g_per_day: float  # mean use over the trend window
    recurring_g_per_day: float  # what the current recurring orders use per day
    vials: tuple[VialDemand, ...] = ()

    @property
    def total_g(self) -> float:
        return self.cumulative_expected_g[-1] if self.cumulative_expected_g else 0.0

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)


@dataclass(frozen=True, slots=True)
class DemandForecast:
    as_of: date
    horizon_days: int
    products: tuple[ProductForecast, ...]
    method: str = field(default="booked + projected + courses + trend beyond them; Poisson-like band")

    def for_product(self, slug: str) -> ProductForecast | None:
        return next((p for p in self.products if p.product == slug), None)

    @property
    def total_g(self) -> float:
        return sum(p.total_g for p in self.products)


def whole_vials(
    grams: float,
    sizes_g: tuple[float, ...],
    rule: RoundingRule = RoundingRule.NEAREST_VIAL,
    tolerance_pct: float = 10.0,
) -> tuple[float, tuple[tuple[float, int], ...]]:
    """Return (dispensed grams, ((vial size, count), ...)) for one day's dose by the dosing engine's vial
    plan (`ivig.clinical.vials.plan_vials`); the prescribed grams and no vials when sizes are unknown."""
    return _whole_vials(round(grams * 100), sizes_g, rule, tolerance_pct)


def clear_vial_plan_cache() -> None:
    """Forget the cached vial plans (the benchmark times cold runs)."""
    _whole_vials.cache_clear()


@lru_cache(maxsize=65_536)
def _whole_vials(
    grams_cg: int, sizes_g: tuple[float, ...], rule: RoundingRule, tol: float
) -> tuple[float, tuple[tuple[float, int], ...]]:
    grams = grams_cg / 100.0
    if not sizes_g or grams <= 0:
        return grams, ()
    sizes = tuple(VialSize(s, 0.0, _EXPORT_SOURCE) for s in sizes_g)
    try:
        plan = plan_vials(grams, sizes, rule, tol)
    except VialError:
        return grams, ()
    return plan.dispensed_g, tuple((v.size_g, v.count) for v in plan.vials)


class _Product:
    """Accumulates one product's daily grams by source, its variance and its vials."""

    def __init__(self, horizon: int, sizes: tuple[float, ...], settings: ForecastSettings) -> None:
        # Plain lists while accumulating (a numpy element update is slower); arrays in `_finish`.
        self.booked = [0.0] * horizon  # bookings for recurring orders
        self.booked_other = [0.0] * horizon  # bookings of course doses or unlinked: known "other" demand
        self.projected = [0.0] * horizon  # recurring doses not booked
        self.course = [0.0] * horizon  # course doses not booked: known "other" demand
        self.variance = [0.0] * horizon
        self.vials: dict[float, float] = defaultdict(float)
        self.sizes = sizes
        self.settings = settings
        self.recurring_g_per_day = 0.0
        self.plans: dict[int, tuple[float, tuple[tuple[float, int], ...]]] = {}  # centigrams -> vial plan

    def dispense(self, grams: float) -> float:
        key = round(grams * 100)  # an int key: no tuple per call for the collector to count
        plan = self.plans.get(key)
        if plan is None:
            plan = self.plans[key] = _whole_vials(
                key, self.sizes, self.settings.rounding_rule, self.settings.rounding_tolerance_pct
            )
        dispensed, vials = plan
        for size, count in vials:
            self.vials[size] += count
        return dispensed


class _Projection:
    """A projected dose (recurring or course) that a booking may replace; plain slots: made by the 10,000."""

    __slots__ = ("covered", "day", "grams", "patient", "product", "recurring", "window")

    def __init__(
        self, product: str, patient: str, day: int, grams: float, window: int, recurring: bool
    ) -> None:
        self.product, self.patient, self.day, self.grams = product, patient, day, grams
        self.window, self.recurring, self.covered = window, recurring, False


def _in_force(start: date | None, until: date | None, as_of: date) -> bool:
    return (start is None or start <= as_of) and (until is None or until >= as_of)


def forecast_demand(data: SupplyData, settings: ForecastSettings | None = None) -> DemandForecast:
    """Forecast each product's daily grams from `data.as_of` over the horizon, with a band."""
    settings = settings or ForecastSettings()
    horizon, as_of = settings.horizon_days, data.as_of
    products: dict[str, _Product] = {}

    def acc(slug: str) -> _Product:
        if slug not in products:
            products[slug] = _Product(horizon, tuple(sorted(data.product(slug).vial_sizes_g)), settings)
        return products[slug]

    for info in data.products:
        acc(info.slug)
    base, end = as_of.toordinal(), as_of + timedelta(days=horizon)
    # Most bookings of a history are past: a date comparison skips them cheaply.
    bookings = [a for a in data.appointments if as_of <= a.day < end]
    linked = {a.order_id for a in bookings if a.order_id}
    unlinked = {(a.patient_id, a.product) for a in bookings if not a.order_id}
    # Only projections a booking may replace become objects (a few thousand, not every dose of 10,000).
    by_order: dict[str, list[_Projection]] = defaultdict(list)

    def project(
        order_id: str, patient: str, slug: str, day: int, grams: float, window: int, recurring: bool
    ) -> None:
        if order_id in linked or (patient, slug) in unlinked:
            by_order[order_id].append(_Projection(slug, patient, day, grams, window, recurring))
        else:
            _add_unbooked(acc(slug), day, grams, recurring)

    recurring_ids: set[str] = set()
    for order in data.recurring:
        if not _in_force(order.started_on, order.until, as_of):
            continue
        recurring_ids.add(order.order_id)
        product = acc(order.product)
        per_day_g = order.dose_g / order.days_per_cycle
        product.recurring_g_per_day += (
            whole_vials(per_day_g, product.sizes, settings.rounding_rule, settings.rounding_tolerance_pct)[0]
            * order.days_per_cycle
            / order.interval_days
        )
        first = max(order.next_due.toordinal() - base, 0)
        last = horizon - 1 if order.until is None else min(horizon - 1, order.until.toordinal() - base)
        window = order.interval_days // 2
        for cycle_start in range(first, last + 1, order.interval_days):
            for day in range(cycle_start, min(cycle_start + order.days_per_cycle, last + 1)):
                project(order.order_id, order.patient_id, order.product, day, per_day_g, window, True)
    for course in data.courses:
        for dose in course.remaining:
            day = dose.day.toordinal() - base
            if 0 <= day < horizon:
                project(
                    course.order_id,
                    course.patient_id,
                    course.product,
                    day,
                    dose.grams,
                    settings.course_window_days,
                    False,
                )
    by_patient: dict[tuple[str, str], list[_Projection]] | None = None  # built when a booking has no order
    for appt in bookings:
        day = appt.day.toordinal() - base
        if appt.order_id:
            candidates = by_order.get(appt.order_id, [])
        else:
            if by_patient is None:
                by_patient = _by_patient(by_order)
            candidates = by_patient.get((appt.patient_id, appt.product), [])
        match = _nearest_uncovered(candidates, day)
        product = acc(appt.product)
        grams = product.dispense(appt.grams)
        if match is not None:
            match.covered = True
        if (match is not None and match.recurring) or (match is None and appt.order_id in recurring_ids):
            product.booked[day] += grams
        else:  # a booked course dose or an unlinked booking: known "other" demand
            product.booked_other[day] += grams
    for items in by_order.values():
        for item in items:
            if not item.covered:
                _add_unbooked(acc(item.product), item.day, item.grams, item.recurring)
    trend = _trend_rates(data, settings)
    forecasts = tuple(_finish(slug, acc(slug), as_of, trend.get(slug), settings) for slug in sorted(products))
    return DemandForecast(as_of, horizon, forecasts)


def _add_unbooked(product: _Product, day: int, grams: float, recurring: bool) -> None:
    """A projected dose no booking replaced: recurring doses carry the band's variance, course doses not."""
    grams = product.dispense(grams)
    if recurring:
        product.projected[day] += grams
        product.variance[day] += grams * grams
    else:
        product.course[day] += grams


def _by_patient(by_order: dict[str, list[_Projection]]) -> dict[tuple[str, str], list[_Projection]]:
    index: dict[tuple[str, str], list[_Projection]] = defaultdict(list)
    for items in by_order.values():
        for item in items:
            index[(item.patient, item.product)].append(item)
    return index


def _nearest_uncovered(candidates: list[_Projection], day: int) -> _Projection | None:
    best: _Projection | None = None
    for item in candidates:
        gap = abs(item.day - day)
        if not item.covered and gap <= item.window and (best is None or gap < abs(best.day - day)):
            best = item
    return best


@dataclass(frozen=True, slots=True)
class _Trend:
    g_per_day: float
    mean_event_g: float


def _trend_rates(data: SupplyData, settings: ForecastSettings) -> dict[str, _Trend]:
    """Mean grams a day per product over the trend window before `as_of` (shorter if history is shorter)."""
    if not settings.use_trend or not data.usage:
        return {}
    window_start = data.as_of - timedelta(weeks=settings.trend_weeks)
    grams: dict[str, float] = defaultdict(float)
    events: dict[str, int] = defaultdict(int)
    first_record = data.as_of
    for record in data.usage:
        day = record.day
        if day < data.as_of:
            if day < first_record:
                first_record = day
            if day >= window_start:
                grams[record.product] += record.grams
                events[record.product] += 1
    days = (data.as_of - max(window_start, first_record)).days
    if days <= 0:
        return {}
    return {slug: _Trend(g / days, g / events[slug]) for slug, g in grams.items()}


def _finish(
    slug: str, product: _Product, as_of: date, trend: _Trend | None, settings: ForecastSettings
) -> ProductForecast:
    horizon = settings.horizon_days
    booked, projected = np.array(product.booked), np.array(product.projected)
    known_other = np.array(product.course) + np.array(product.booked_other)
    other = known_other.copy()  # daily "other" demand: known courses and bookings, then the trend
    variance = np.array(product.variance)
    other_rate = 0.0
    if trend is not None:
        other_rate = max(0.0, trend.g_per_day - product.recurring_g_per_day)
        cumulative_other = np.maximum(np.cumsum(known_other), other_rate * np.arange(1, horizon + 1))
        other = np.diff(cumulative_other, prepend=0.0)
        variance += np.maximum(other - known_other, 0.0) * trend.mean_event_g
        beyond_g = float(cumulative_other[-1] - known_other.sum())
        if beyond_g > 0 and trend.mean_event_g > 0:
            _, vials = whole_vials(
                trend.mean_event_g,
                product.sizes,
                settings.rounding_rule,
                settings.rounding_tolerance_pct,
            )
            for size, count in vials:
                product.vials[size] += count * beyond_g / trend.mean_event_g
    expected = booked + projected + other
    z = settings.band_z
    sd = np.sqrt(variance)
    cumulative = np.cumsum(expected)
    cumulative_sd = np.sqrt(np.cumsum(variance))
    low = np.maximum(cumulative - z * cumulative_sd, 0.0)
    high = cumulative + z * cumulative_sd
    if settings.error_band is not None:
        low = np.minimum(low, cumulative * (1 + settings.error_band.low))
        high = np.maximum(high, cumulative * (1 + settings.error_band.high))
    return ProductForecast(
        product=slug,
        start=as_of,
        expected_g=_tuple(expected),
        lower_g=_tuple(np.maximum(expected - z * sd, 0.0)),
        upper_g=_tuple(expected + z * sd),
        cumulative_expected_g=_tuple(cumulative),
        cumulative_lower_g=_tuple(np.maximum.accumulate(np.maximum(low, 0.0))),
        cumulative_upper_g=_tuple(np.maximum.accumulate(high)),
        booked_g=round(sum(product.booked) + sum(product.booked_other), 2),
        projected_g=round(sum(product.projected), 2),
        course_g=round(sum(product.course), 2),
        other_g=round(float(other.sum() - known_other.sum()), 2),
        trend_g_per_day=0.0 if trend is None else round(trend.g_per_day, 2),
        recurring_g_per_day=round(product.recurring_g_per_day, 2),
        vials=tuple(VialDemand(size, round(count, 2)) for size, count in sorted(product.vials.items())),
    )


def _tuple(values: Iterable[float]) -> tuple[float, ...]:
    return tuple(round(float(v), 3) for v in values)


def error_band(relative_errors: Iterable[float], coverage: float = 0.9) -> ErrorBand | None:
    """Return the central `coverage` band of past relative errors (None without errors)."""
    errors = sorted(e for e in relative_errors if math.isfinite(e))
    if not errors:
        return None
    tail = (1 - coverage) / 2
    low, high = np.quantile(np.array(errors), [tail, 1 - tail])
    return ErrorBand(min(0.0, float(low)), max(0.0, float(high)))
