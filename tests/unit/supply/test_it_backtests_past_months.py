"""Backtest: the snapshot keeps only what was known; MAPE is the mean absolute percentage error."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from ivig.clinical.supply import (
    ALL_PRODUCTS,
    ActiveCourse,
    Appointment,
    BacktestCell,
    CourseDose,
    ForecastSettings,
    ProductInfo,
    RecurringOrder,
    SupplyData,
    UsageRecord,
    backtest,
    error_band,
    mape,
    snapshot_at,
)
from ivig.clinical.supply.backtest import infer_regimens, month_starts
from ivig.clinical.supply.generate import generate_history

START = date(2026, 1, 5)


def test_it_computes_mape_from_months_with_use() -> None:
    cells = [
        BacktestCell("a", START, 90.0, 100.0),
        BacktestCell("a", START, 130.0, 100.0),
        BacktestCell("a", START, 50.0, 0.0),
    ]
    assert cells[0].ape_pct == pytest.approx(10.0) and cells[1].ape_pct == pytest.approx(30.0)
    assert cells[2].ape_pct is None
    assert mape(cells) == pytest.approx(20.0)
    assert mape([cells[2]]) is None
    assert cells[1].relative_error == pytest.approx(-30 / 130)


def test_it_lists_whole_months_after_the_first_use() -> None:
    assert month_starts(date(2026, 1, 5), date(2026, 4, 30)) == [
        date(2026, 2, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
    ]
    assert month_starts(date(2026, 1, 5), date(2026, 4, 29)) == [date(2026, 2, 1), date(2026, 3, 1)]


def _regular_history() -> SupplyData:
    """One patient, 28 g every 28 days since START, used exactly as ordered (no vials: grams exact)."""
    order = RecurringOrder("o1", "p1", "a", 28.0, 28, START, started_on=START)
    usage = tuple(UsageRecord(START + timedelta(days=28 * k), "a", 28.0, "p1", "o1") for k in range(9))
    return SupplyData(date(2026, 9, 1), (ProductInfo("a", "A"),), recurring=(order,), usage=usage)


def test_it_rebuilds_what_was_known_at_a_month_start() -> None:
    course = ActiveCourse(
        "c1", "p2", "a", (CourseDose(date(2026, 2, 27), 50.0), CourseDose(date(2026, 3, 2), 50.0))
    )
    later = ActiveCourse("c2", "p3", "a", (CourseDose(date(2026, 3, 5), 50.0),))
    appts = (
        Appointment("x", "p1", "a", date(2026, 3, 29), 28.0, "o1", booked_on=date(2026, 2, 20)),
        Appointment("y", "p1", "a", date(2026, 3, 29), 28.0, "o1", booked_on=date(2026, 3, 2)),
        Appointment("z", "p1", "a", date(2026, 3, 29), 28.0, "o1"),
    )
    data = _regular_history()
    data = SupplyData(data.as_of, data.products, data.recurring, (course, later), appts, data.usage)
    snap = snapshot_at(data, date(2026, 3, 1))
    assert snap.as_of == date(2026, 3, 1)
    assert [u.day for u in snap.usage][-1] == date(2026, 2, 2)
    assert snap.recurring[0].next_due == date(2026, 3, 2) and snap.recurring[0].until is None
    assert [c.order_id for c in snap.courses] == ["c1"] and len(snap.courses[0].remaining) == 1
    assert [a.appointment_id for a in snap.appointments] == ["x"]
    ending = SupplyData(data.as_of, data.products, (replace(data.recurring[0], until=date(2026, 6, 1)),))
    assert snapshot_at(ending, date(2026, 3, 1)).recurring[0].until is None
    assert snapshot_at(ending, date(2026, 3, 1), planned_ends=True).recurring[0].until == date(2026, 6, 1)


def test_it_backtests_a_regular_regimen_with_no_error() -> None:
    result = backtest(_regular_history(), ForecastSettings(use_trend=False))
    assert result.months[0] == date(2026, 2, 1)
    assert all(c.forecast_g == c.actual_g for c in result.cells)
    assert result.mape_by_product()["a"] == 0.0
    assert set(result.mape_by_month().values()) == {0.0}
    assert result.cell(ALL_PRODUCTS, date(2026, 2, 1)).actual_g == 28.0  # type: ignore[union-attr]


def test_it_reports_a_missed_dose_as_error() -> None:
    data = _regular_history()
    usage = tuple(u for u in data.usage if u.day != START + timedelta(days=28 * 3))  # 2026-03-30 missed
    result = backtest(
        SupplyData(data.as_of, data.products, data.recurring, usage=usage), ForecastSettings(use_trend=False)
    )
    march = result.cell("a", date(2026, 3, 1))
    assert march is not None and (march.forecast_g, march.actual_g) == (56.0, 28.0)
    assert march.ape_pct == pytest.approx(100.0)
    april = result.cell("a", date(2026, 4, 1))  # the missed dose is overdue on 1 April: forecast twice
    assert april is not None and (april.forecast_g, april.actual_g) == (56.0, 28.0)
    assert error_band(result.relative_errors()) is not None
    # two projected doses of 28 g: sd = 28 x sqrt(2), band 56 -/+ 65 g (from 0), which holds 28 g
    assert (march.lower_g, march.upper_g) == (0.0, round(56 + 1.645 * 28 * 2**0.5, 1))
    assert march.within_band is True
    assert result.band_coverage_pct() is not None


def test_it_generates_the_same_history_from_the_same_seed() -> None:
    one = generate_history(patients=50, products=3, seed=4)
    assert one == generate_history(patients=50, products=3, seed=4)
    assert one != generate_history(patients=50, products=3, seed=5)
    assert {u.product for u in one.usage} <= {p.slug for p in one.products}
    result = backtest(one)
    assert len(result.months) >= 10 and result.mape_by_product()[ALL_PRODUCTS] is not None


def _uses(patient: str, days: list[int], grams: float = 30.0) -> list[UsageRecord]:
    return [UsageRecord(START + timedelta(days=d), "a", grams, patient) for d in days]


def test_it_reads_regimens_from_use() -> None:
    when = START + timedelta(days=100)
    usage = [
        *_uses("regular", [0, 28, 56, 85]),  # gaps 28, 28, 29: every 28 days, next on day 113
        *_uses("two-day", [21, 22, 42, 43, 63, 64, 84, 85], 35.0),  # 70 g over 2 days every 21 days
        *_uses("few", [0, 28]),  # two cycles: not enough
        *_uses("stopped", [0, 21, 42]),  # last cycle 58 days ago, over 1.5 intervals
        *_uses("known", [0, 28, 56, 84]),  # has an order: skipped
    ]
    found = {r.patient_id: r for r in infer_regimens(usage, when, {("known", "a")})}
    assert set(found) == {"regular", "two-day"}
    assert (found["regular"].interval_days, found["regular"].dose_g) == (28, 30.0)
    assert found["regular"].next_due == START + timedelta(days=113)
    two_day = found["two-day"]
    assert (two_day.interval_days, two_day.dose_g, two_day.days_per_cycle) == (21, 70.0, 2)


def test_it_backtests_an_export_without_past_orders_from_use() -> None:
    data = _regular_history()
    without_orders = SupplyData(data.as_of, data.products, usage=data.usage)
    with_use = backtest(without_orders, ForecastSettings(use_trend=False))
    assert with_use.cell("a", date(2026, 5, 1)).forecast_g == 28.0  # type: ignore[union-attr]
    without = backtest(without_orders, ForecastSettings(use_trend=False), regimens_from_use=False)
    assert without.cell("a", date(2026, 5, 1)).forecast_g == 0.0  # type: ignore[union-attr]
