"""Forecast: bookings replace the projected doses they stand for; courses, cycles, the trend and the band."""

from __future__ import annotations

import pytest

from ivig.clinical.supply import (
    ActiveCourse,
    Appointment,
    CourseDose,
    ForecastSettings,
    ProductInfo,
    RecurringOrder,
    UsageRecord,
    forecast_demand,
)

from .helpers import PRODUCT, data, day

NO_TREND = ForecastSettings(horizon_days=60, use_trend=False)


def _order(**kw: object) -> RecurringOrder:
    fields: dict[str, object] = {
        "order_id": "o1",
        "patient_id": "p1",
        "product": PRODUCT,
        "dose_g": 30.0,
        "interval_days": 28,
        "next_due": day(3),
    }
    fields.update(kw)
    return RecurringOrder(**fields)  # type: ignore[arg-type]


def test_it_projects_a_recurring_order_every_interval() -> None:
    pf = forecast_demand(data(recurring=(_order(),)), NO_TREND).products[0]
    assert [i for i, g in enumerate(pf.expected_g) if g] == [3, 31, 59]
    assert pf.total_g == pytest.approx(90.0)
    assert pf.projected_g == pytest.approx(90.0)


def test_it_does_not_count_a_booked_dose_twice() -> None:
    booked = Appointment("a1", "p1", PRODUCT, day(5), 32.0, order_id="o1")
    pf = forecast_demand(data(recurring=(_order(),), appointments=(booked,)), NO_TREND).products[0]
    assert pf.expected_g[3] == 0.0 and pf.expected_g[5] == pytest.approx(32.0)
    assert pf.total_g == pytest.approx(32.0 + 30.0 + 30.0)
    assert pf.booked_g == pytest.approx(32.0)


def test_it_matches_a_booking_without_order_by_patient_and_product() -> None:
    booked = Appointment("a1", "p1", PRODUCT, day(2), 30.0)
    pf = forecast_demand(data(recurring=(_order(),), appointments=(booked,)), NO_TREND).products[0]
    assert pf.total_g == pytest.approx(90.0)


def test_it_counts_a_booking_far_from_any_projected_dose_on_top() -> None:
    extra = Appointment("a1", "p1", PRODUCT, day(2), 30.0, order_id="o1")  # 18 days before: over half of 28
    pf = forecast_demand(data(recurring=(_order(next_due=day(20)),), appointments=(extra,)), NO_TREND)
    assert pf.products[0].total_g == pytest.approx(30.0 + 60.0)  # the booking, and days 20 and 48


def test_it_lets_one_booking_replace_only_one_projection() -> None:
    both = (
        Appointment("a1", "p1", PRODUCT, day(3), 30.0, order_id="o1"),
        Appointment("a2", "p1", PRODUCT, day(4), 30.0, order_id="o1"),
    )
    pf = forecast_demand(data(recurring=(_order(),), appointments=both), NO_TREND).products[0]
    assert pf.total_g == pytest.approx(120.0)  # two bookings + days 31 and 59


def test_it_splits_a_cycle_over_its_days_and_skips_orders_not_in_force() -> None:
    orders = (
        _order(dose_g=70.0, interval_days=21, days_per_cycle=2, next_due=day(0)),
        _order(order_id="ended", until=day(-1), next_due=day(0)),
        _order(order_id="later", started_on=day(10), next_due=day(10)),
        _order(order_id="stops", until=day(10), next_due=day(0)),
    )
    pf = forecast_demand(data(recurring=orders), ForecastSettings(horizon_days=22, use_trend=False)).products[
        0
    ]
    assert pf.expected_g[0] == pytest.approx(35.0 + 30.0)
    assert pf.expected_g[1] == pytest.approx(35.0) and pf.expected_g[21] == pytest.approx(35.0)
    assert pf.total_g == pytest.approx(3 * 35.0 + 30.0)  # day 22 is past the horizon; "stops" once


def test_it_counts_a_booked_course_dose_once() -> None:
    course = ActiveCourse("c1", "p2", PRODUCT, (CourseDose(day(0), 70.0), CourseDose(day(1), 70.0)))
    booked = Appointment("a9", "p2", PRODUCT, day(1), 70.0, order_id="c1")
    pf = forecast_demand(data(courses=(course,), appointments=(booked,)), NO_TREND).products[0]
    assert pf.total_g == pytest.approx(140.0)
    assert pf.course_g == pytest.approx(70.0) and pf.booked_g == pytest.approx(70.0)


def test_it_plans_whole_vials() -> None:
    products = (ProductInfo(PRODUCT, "A", (5.0, 10.0, 20.0)),)
    pf = forecast_demand(data(products=products, recurring=(_order(dose_g=27.0),)), NO_TREND).products[0]
    assert pf.expected_g[3] == pytest.approx(25.0)
    assert {v.size_g: v.vials for v in pf.vials} == {5.0: 3.0, 20.0: 3.0}


def _usage(g_per_day: float, days: int = 56) -> tuple[UsageRecord, ...]:
    return tuple(UsageRecord(day(-i), PRODUCT, g_per_day) for i in range(1, days + 1))


def test_it_adds_the_trend_beyond_what_recurring_orders_explain() -> None:
    settings = ForecastSettings(horizon_days=28)
    pf = forecast_demand(data(recurring=(_order(dose_g=28.0),), usage=_usage(5.0)), settings).products[0]
    assert pf.trend_g_per_day == pytest.approx(5.0)
    assert pf.recurring_g_per_day == pytest.approx(1.0)
    assert pf.other_g == pytest.approx(4.0 * 28)
    assert pf.total_g == pytest.approx(28.0 + 4.0 * 28)


def test_it_counts_known_courses_as_the_first_part_of_the_trend() -> None:
    course = ActiveCourse("c1", "p2", PRODUCT, (CourseDose(day(0), 50.0),))
    settings = ForecastSettings(horizon_days=20)
    pf = forecast_demand(data(courses=(course,), usage=_usage(4.0)), settings).products[0]
    # cumulative other demand = max(known 50 g, 4 g/day x days): 50 g until day 12, then 4 g a day
    assert pf.total_g == pytest.approx(80.0)
    assert pf.cumulative_expected_g[11] == pytest.approx(50.0)
    assert pf.course_g == pytest.approx(50.0) and pf.other_g == pytest.approx(30.0)


def test_it_gives_a_band_around_projected_and_trend_demand_only() -> None:
    booked = Appointment("a1", "p1", PRODUCT, day(3), 30.0, order_id="o1")
    only_booked = forecast_demand(data(appointments=(booked,)), NO_TREND).products[0]
    assert (
        only_booked.cumulative_lower_g == only_booked.cumulative_upper_g == only_booked.cumulative_expected_g
    )
    pf = forecast_demand(data(recurring=(_order(),), usage=_usage(5.0)), ForecastSettings(horizon_days=60))
    one = pf.products[0]
    for low, mid, high in zip(
        one.cumulative_lower_g, one.cumulative_expected_g, one.cumulative_upper_g, strict=True
    ):
        assert low <= mid <= high
    assert one.cumulative_upper_g[-1] > one.cumulative_expected_g[-1] > one.cumulative_lower_g[-1]
