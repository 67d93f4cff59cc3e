"""Renal or thrombosis risk with a product that has no labelled rate cap: stop until a cap is set."""

from __future__ import annotations

from ivig.clinical.patient import PatientFactors, Sex
from ivig.clinical.plan import PlanRequest, plan_infusion
from ivig.clinical.settings import DosingSettings

AT_RISK = PatientFactors(age_years=70, sex=Sex.MALE, weight_kg=70, egfr_ml_per_min_per_1_73m2=40)


def _top_rate(plan: object) -> float:
    return max(s.rate_mg_per_kg_per_min for s in plan.days[0].rates.steps)  # type: ignore[attr-defined]


def test_it_stops_at_the_max_rate_field_without_any_cap() -> None:
    plan = plan_infusion(PlanRequest("privigen", "pi", AT_RISK, dose_g_per_kg=0.4))
    (stop,) = [w for w in plan.stops if w.code == "no-labelled-risk-cap"]
    assert stop.field == "max_rate" and "boxed warning" in stop.source


def test_it_goes_on_with_the_prescribers_lower_maximum_for_this_order() -> None:
    plan = plan_infusion(
        PlanRequest("privigen", "pi", AT_RISK, dose_g_per_kg=0.4, max_rate_mg_per_kg_per_min=2)
    )
    assert not plan.stops
    assert _top_rate(plan) <= 2


def test_it_goes_on_with_the_site_risk_cap() -> None:
    plan = plan_infusion(
        PlanRequest("privigen", "pi", AT_RISK, dose_g_per_kg=0.4),
        settings=DosingSettings(risk_rate_cap_mg_per_kg_per_min=3),
    )
    assert not plan.stops
    assert _top_rate(plan) <= 3


def test_it_keeps_a_labelled_risk_cap_without_a_stop() -> None:
    plan = plan_infusion(PlanRequest("panzyga", "pi", AT_RISK, dose_g_per_kg=0.4))
    assert not plan.stops
    assert _top_rate(plan) <= 3.3
