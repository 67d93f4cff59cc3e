"""The monitoring checks follow the rate steps: merged when two fall at one minute, timed from the start."""

from __future__ import annotations

from ivig.orders.sheet import clock, duration, monitoring_checks, number


def _step(start: float, minutes: float, ml_per_h: float) -> dict[str, float]:
    return {"start_min": start, "duration_min": minutes, "rate_ml_per_h": ml_per_h}


def test_it_checks_before_each_rate_increase_and_merges_same_minute_checks():
    steps = [_step(0, 15, 10), _step(15, 15, 20), _step(30, 60, 40)]
    checks = monitoring_checks(steps, 90, observe_one_hour=False)
    assert [(c.at, c.when) for c in checks] == [
        ("0:00", "Before the start (baseline)"),
        ("0:15", "15 min after the start; Before increasing to 20 mL/h"),
        ("0:30", "Before increasing to 40 mL/h"),
        ("1:30", "At the end of the infusion"),
        ("end + 0:30–1:00", "30–60 min after the end"),
    ]


def test_it_keeps_an_hour_after_the_end_for_a_first_infusion():
    checks = monitoring_checks([_step(0, 120, 50)], 120, observe_one_hour=True)
    assert checks[-1].when.startswith("1 h after the end")


def test_it_formats_times_and_numbers_for_the_bedside():
    assert clock(313.75) == "5:14"
    assert duration(223.75) == "3 h 44 min"
    assert duration(30) == "30 min"
    assert duration(120) == "2 h"
    assert number(7.5) == "7.5" and number(15.0) == "15" and number(0.125, 3) == "0.125"
