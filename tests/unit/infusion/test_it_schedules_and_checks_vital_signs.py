"""The monitoring schedule (reference s8), its states, site vital-sign ranges, volume from rate segments."""

from datetime import UTC, datetime, timedelta

import pytest

from ivig.clinical.infusion.monitoring import CheckKind, CheckState, MonitoringSettings, schedule, statuses
from ivig.clinical.infusion.vitals import (
    MEASURES,
    Measure,
    VitalRange,
    celsius_to_fahrenheit,
    check_vitals,
    fahrenheit_to_celsius,
)
from ivig.clinical.infusion.volume import RateSegment, running_minutes, volume_given_ml

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_it_schedules_before_15_min_after_each_increase_end_and_after():
    checks = schedule(MonitoringSettings(), started_at=T0, increase_times=[at(30), at(60)], ended_at=at(200))
    assert [(c.kind, c.due_at) for c in checks] == [
        (CheckKind.BEFORE, T0),
        (CheckKind.AFTER_START, at(15)),
        (CheckKind.BEFORE_INCREASE, at(30)),
        (CheckKind.BEFORE_INCREASE, at(60)),
        (CheckKind.END, at(200)),
        (CheckKind.AFTER, at(230)),
    ]
    first = schedule(MonitoringSettings(), started_at=T0, ended_at=at(100), first_or_switch_or_gap=True)
    assert first[-1].due_at == at(160)  # 1 h after a first infusion (EU SmPCs)


def test_it_follows_the_site_settings():
    site = MonitoringSettings(after_start_min=30, before_each_increase=False, observe_after_min=45)
    checks = schedule(site, started_at=T0, increase_times=[at(30)], ended_at=at(100))
    assert [c.kind for c in checks] == [
        CheckKind.BEFORE,
        CheckKind.AFTER_START,
        CheckKind.END,
        CheckKind.AFTER,
    ]
    assert checks[1].due_at == at(30) and checks[-1].due_at == at(145)
    with pytest.raises(ValueError, match="above 0"):
        MonitoringSettings(after_start_min=0)


def test_it_marks_checks_done_due_overdue_and_upcoming():
    settings = MonitoringSettings(early_window_min=10, grace_min=5)
    checks = schedule(settings, started_at=T0, increase_times=[at(30), at(60)])
    found = statuses(settings, checks, [at(-5), at(16)], now=at(52))
    assert [s.state for s in found] == [CheckState.DONE, CheckState.DONE, CheckState.OVERDUE, CheckState.DUE]
    later = statuses(settings, checks, [at(-5), at(16), at(28)], now=at(40))
    assert [s.state for s in later] == [
        CheckState.DONE,
        CheckState.DONE,
        CheckState.DONE,
        CheckState.UPCOMING,
    ]
    assert statuses(settings, schedule(settings, started_at=None), [], now=T0)[0].state is CheckState.DUE


def test_it_counts_one_reading_for_one_check_only():
    settings = MonitoringSettings()
    checks = schedule(settings, started_at=T0, increase_times=[at(20)])
    found = statuses(settings, checks, [at(-1), at(15)], now=at(30))
    assert found[1].state is CheckState.DONE and found[2].state is CheckState.OVERDUE


RANGES = [
    VitalRange(Measure.HEART_RATE, 60, 100, min_age_years=18, source="site adult protocol"),
    VitalRange(
        Measure.HEART_RATE, 70, 120, min_age_years=6, max_age_years=12, source="site paediatric protocol"
    ),
    VitalRange(Measure.TEMPERATURE_C, None, 38.0, source="site protocol"),
]


def test_it_flags_values_outside_the_site_range_for_the_age():
    adult = check_vitals({Measure.HEART_RATE: 110, Measure.TEMPERATURE_C: 37.0}, 40, RANGES)
    child = check_vitals({Measure.HEART_RATE: 110, Measure.TEMPERATURE_C: 38.4}, 8, RANGES)
    assert [(f.measure, f.direction, f.source) for f in adult] == [
        (Measure.HEART_RATE, "high", "site adult protocol")
    ]
    assert [(f.measure, f.direction) for f in child] == [(Measure.TEMPERATURE_C, "high")]
    assert check_vitals({Measure.HEART_RATE: 65}, 8, RANGES)[0].direction == "low"
    assert check_vitals({Measure.SPO2: 80}, 40, RANGES) == ()  # no range set: no flag, never an invented one


def test_it_converts_temperatures_and_knows_the_loinc_codes():
    assert fahrenheit_to_celsius(98.6) == pytest.approx(37.0)
    assert celsius_to_fahrenheit(38.0) == pytest.approx(100.4)
    assert MEASURES[Measure.HEART_RATE].loinc == "8867-4"
    assert MEASURES[Measure.TEMPERATURE_C].loinc == "8310-5"


def test_it_sums_the_volume_from_rates_and_times():
    segments = [
        RateSegment(T0, at(30), 7.5),
        RateSegment(at(30), at(70), 30),
        RateSegment(at(70), at(90), 0),
        RateSegment(at(90), None, 15),
    ]
    assert volume_given_ml(segments, until=at(120)) == pytest.approx(3.75 + 20 + 0 + 7.5)
    assert running_minutes(segments, until=at(120)) == pytest.approx(100)
