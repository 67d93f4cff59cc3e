"""Worked examples from the labels, checked against the label arithmetic.

Sources: docs/reference/products.md s3 and docs/reference/dosing.md s5."""

from __future__ import annotations

import pytest

from ivig.clinical.patient import PatientFactors, Sex, ThrombosisRisk
from ivig.clinical.plan import PlanError, PlanRequest, plan_infusion
from ivig.clinical.settings import DosingSettings, RoundingRule


def _patient(weight_kg: float = 70, **extra: object) -> PatientFactors:
    return PatientFactors(age_years=40, sex=Sex.MALE, weight_kg=weight_kg, **extra)  # type: ignore[arg-type]


def _codes(plan: object) -> set[str]:
    return {w.code for w in plan.warnings}  # type: ignore[attr-defined]


def test_it_plans_gammagard_liquid_400_mg_per_kg_for_70_kg() -> None:
    plan = plan_infusion(PlanRequest("Gammagard Liquid", "pi", _patient(), dose_g_per_kg=0.4))
    day = plan.days[0]
    assert plan.prescribed_dose_g == pytest.approx(28)
    assert [(v.size_g, v.count) for v in day.vials.vials] == [(20, 1), (5, 1), (1, 3)]
    assert day.volume_ml == pytest.approx(280)
    first = day.rates.steps[0]  # type: ignore[union-attr]
    # Label: 0.8 mg/kg/min (printed as 0.5 mL/kg/h, its rounded conversion) for 30 min. The engine keeps
    # the mg/kg/min figure, the lower of the two: 0.48 mL/kg/h, 33.6 mL/h at 70 kg (35 mL/h would be 0.83).
    assert (first.rate_mg_per_kg_per_min, first.duration_min) == (0.8, 30)
    assert first.rate_ml_per_kg_per_h == pytest.approx(0.48)
    assert first.rate_ml_per_h == pytest.approx(33.6)
    assert day.rates.steps[-1].rate_mg_per_kg_per_min == 8  # type: ignore[union-attr]


def test_it_titrates_bivigam_by_0_8_every_20_minutes_to_6() -> None:
    plan = plan_infusion(PlanRequest("bivigam", "pi", _patient(), dose_g_per_kg=0.8))
    steps = plan.days[0].rates.steps  # type: ignore[union-attr]
    assert [s.rate_mg_per_kg_per_min for s in steps[:3]] == pytest.approx([0.5, 1.3, 2.1])
    assert [s.duration_min for s in steps[:3]] == [10, 20, 20]
    assert max(s.rate_mg_per_kg_per_min for s in steps) == pytest.approx(6)


def test_it_follows_the_octagam_10_itp_sequence() -> None:
    plan = plan_infusion(PlanRequest("Octagam 10%", "itp", _patient()))
    steps = plan.days[0].rates.steps  # type: ignore[union-attr]
    assert len(plan.days) == 2 and plan.prescribed_dose_g == pytest.approx(140)
    assert [s.rate_mg_per_kg_per_min for s in steps] == [1, 2, 4, 8, 12]
    assert [s.duration_min for s in steps[:4]] == [30, 30, 30, 30]


def test_it_caps_octagam_10_at_3_3_for_a_patient_at_thrombosis_risk() -> None:
    patient = _patient(thrombosis_risks=frozenset({ThrombosisRisk.PRIOR_THROMBOSIS}))
    plan = plan_infusion(PlanRequest("Octagam 10%", "itp", patient))
    assert max(s.rate_mg_per_kg_per_min for s in plan.days[0].rates.steps) == 3.3  # type: ignore[union-attr]
    assert "risk-rate-cap" in _codes(plan)


def test_it_says_no_labelled_cap_exists_and_uses_the_site_cap_when_set() -> None:
    patient = _patient(egfr_ml_per_min_per_1_73m2=40)
    plain = plan_infusion(PlanRequest("privigen", "pi", patient, dose_g_per_kg=0.4))
    capped = plan_infusion(
        PlanRequest("privigen", "pi", patient, dose_g_per_kg=0.4),
        settings=DosingSettings(risk_rate_cap_mg_per_kg_per_min=2),
    )
    assert "no-labelled-risk-cap" in _codes(plain)
    assert max(s.rate_mg_per_kg_per_min for s in capped.days[0].rates.steps) == 2  # type: ignore[union-attr]


def test_it_warns_and_makes_no_rates_for_a_product_without_rate_data() -> None:
    plan = plan_infusion(PlanRequest("alyglo", "pi", _patient(), dose_g_per_kg=0.4))
    assert plan.days[0].rates is None
    assert "rate-data-missing" in _codes(plan)


def test_it_splits_cidp_loading_over_days_and_under_the_site_daily_maximum() -> None:
    plan = plan_infusion(
        PlanRequest("gamunex-c", "cidp-loading", _patient(80)), settings=DosingSettings(max_dose_g_per_day=50)
    )
    assert plan.prescribed_dose_g == pytest.approx(160)
    assert len(plan.days) == 4 and plan.days[0].dose_g == pytest.approx(40)
    assert "per-day-maximum" in _codes(plan)


def test_it_cautions_on_a_dose_outside_the_range_at_the_dose_field() -> None:
    plan = plan_infusion(PlanRequest("Gammagard Liquid", "pi", _patient(), dose_g_per_kg=0.8))
    (caution,) = [w for w in plan.cautions if w.code == "dose-outside-range"]
    assert caution.field == "dose" and "300-600" in caution.source
    plan = plan_infusion(
        PlanRequest("privigen", "pi", _patient(), dose_g_per_kg=0.8)  # Privigen's own range reaches 800
    )
    assert "dose-outside-range" not in _codes(plan)


def test_it_cautions_on_an_off_label_indication_once() -> None:
    plan = plan_infusion(PlanRequest("privigen", "kawasaki", _patient(20)))
    off_label = [w for w in plan.cautions if "not labelled" in w.message]
    assert [w.code for w in off_label] == ["off-label-indication"]


def test_it_asks_for_a_dose_where_the_label_gives_only_a_range() -> None:
    with pytest.raises(PlanError, match="range"):
        plan_infusion(PlanRequest("Gammagard Liquid", "pi", _patient()))


def test_it_rounds_to_the_nearest_5_g_for_ontario() -> None:
    plan = plan_infusion(
        PlanRequest("Gammagard Liquid", "pi", _patient(73), dose_g_per_kg=0.4),
        settings=DosingSettings(rounding_rule=RoundingRule.NEAREST_5_G),
    )
    assert plan.days[0].vials.dispensed_g == 30  # 29.2 g -> 30 g


def test_it_converts_an_iv_dose_to_a_weekly_hizentra_dose() -> None:
    plan = plan_infusion(
        PlanRequest("hizentra", "pi", _patient(), route=_sc(), previous_iv_dose_g=30, iv_interval_weeks=4)
    )
    day = plan.days[0]
    assert plan.prescribed_dose_g == pytest.approx(1.37 * 30 / 4)  # 10.275 g a week
    assert day.sc is not None and day.sc.ml_per_site <= 15 and day.sc.rate_ml_per_h_per_site <= 15


def _sc():  # type: ignore[no-untyped-def]
    from ivig.clinical.catalog.model import Route

    return Route.SC
