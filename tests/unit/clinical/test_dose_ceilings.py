"""Hard dose ceilings (docs/reference/dosing.md s13): no reason talks past them; only the site's limit
moves them."""

from __future__ import annotations

import pytest

from ivig.clinical.patient import PatientFactors, Severity, Sex
from ivig.clinical.plan import InfusionPlan, PlanRequest, plan_infusion
from ivig.clinical.settings import DosingSettings


def _child(weight_kg: float = 25, age_years: float = 7) -> PatientFactors:
    return PatientFactors(age_years=age_years, sex=Sex.FEMALE, weight_kg=weight_kg)


def _stops(plan: InfusionPlan) -> dict[str, str]:
    return {w.code: w.field for w in plan.stops}


def test_it_stops_itp_5_g_per_kg_a_day_for_a_child_whatever_the_reason() -> None:
    request = PlanRequest(
        "privigen", "itp", _child(), dose_g_per_kg=5, days=2, override_reason="refractory, haematology"
    )
    plan = plan_infusion(request)
    stops = _stops(plan)
    assert stops["above-daily-ceiling"] == "dose"
    assert "above-28-day-ceiling" in stops
    assert "above-daily-volume" in stops  # 1,250 mL a day for 25 kg is 50 mL/kg
    assert "infusion-too-long" in stops  # about 22 h a day
    daily = next(w for w in plan.stops if w.code == "above-daily-ceiling")
    assert "2 g/kg" in daily.message and "s13" in daily.source
    assert all(w.severity is Severity.STOP for w in plan.stops)


def test_it_lets_the_highest_labelled_day_through() -> None:
    plan = plan_infusion(PlanRequest("gamunex-c", "kawasaki", _child(15, 3)))
    assert not plan.stops


def test_it_counts_doses_given_in_the_28_days_before() -> None:
    adult = PatientFactors(age_years=50, sex=Sex.MALE, weight_kg=70)
    fine = plan_infusion(PlanRequest("gamunex-c", "cidp-maintenance", adult))
    assert not fine.stops
    after = plan_infusion(PlanRequest("gamunex-c", "cidp-maintenance", adult, previous_g_per_kg_28_days=2.0))
    (stop,) = after.stops
    assert stop.code == "above-28-day-ceiling" and "2.00 g/kg given in the 28 days before" in stop.message


def test_it_uses_the_site_limit_a_site_lowers_and_names_its_source() -> None:
    site = DosingSettings(max_g_per_kg_per_day=1.0, limits_source="Riverbend D&T committee 2026-11")
    plan = plan_infusion(PlanRequest("gamunex-c", "kawasaki", _child(15, 3)), settings=site)
    stop = next(w for w in plan.stops if w.code == "above-daily-ceiling")
    assert "Riverbend D&T committee 2026-11" in stop.source and "lowered from 2" in stop.source


@pytest.mark.parametrize(
    "field",
    ["max_g_per_kg_per_day", "max_g_per_kg_per_28_days", "max_ml_per_kg_per_day", "max_infusion_h_per_day"],
)
def test_it_refuses_a_site_limit_above_the_label_ceiling(field: str) -> None:
    with pytest.raises(ValueError, match="at most"):
        DosingSettings(**{field: 1000.0})  # type: ignore[arg-type]


def test_it_splits_a_course_above_the_daily_ceiling_when_no_days_are_given() -> None:
    adult = PatientFactors(age_years=50, sex=Sex.MALE, weight_kg=70)
    plan = plan_infusion(PlanRequest("gammagard-liquid", "mmn", adult, dose_g_per_kg=2.4))
    assert len(plan.days) == 2 and not plan.stops
    assert "split-under-daily-ceiling" in {w.code for w in plan.warnings}
    one_day = plan_infusion(PlanRequest("gammagard-liquid", "mmn", adult, dose_g_per_kg=2.4, days=1))
    assert "above-daily-ceiling" in _stops(one_day)


def test_it_plans_mmn_2_g_per_kg_over_5_days_without_a_caution() -> None:
    adult = PatientFactors(age_years=50, sex=Sex.MALE, weight_kg=70)
    plan = plan_infusion(PlanRequest("gammagard-liquid", "mmn", adult, dose_g_per_kg=2, days=5))
    assert len(plan.days) == 5
    assert not plan.stops
    assert "dose-outside-range" not in {w.code for w in plan.cautions}


def test_it_cautions_above_the_site_grams_a_day() -> None:
    big = PatientFactors(age_years=50, sex=Sex.MALE, weight_kg=160)
    plan = plan_infusion(PlanRequest("gamunex-c", "itp", big))
    caution = next(w for w in plan.cautions if w.code == "above-site-g-per-day")
    assert "160.0 g in one day" in caution.message and caution.field == "dose"
    assert not plan.stops


def test_it_turns_earlier_grams_into_g_per_kg_of_this_dosing_weight() -> None:
    adult = PatientFactors(age_years=50, sex=Sex.MALE, weight_kg=70)
    # 140 g given before is 2 g/kg of this 70 kg patient: with this 1 g/kg course, above 2.4 g/kg.
    plan = plan_infusion(PlanRequest("gamunex-c", "cidp-maintenance", adult, previous_g_28_days=140))
    (stop,) = plan.stops
    assert "2.00 g/kg given in the 28 days before" in stop.message
