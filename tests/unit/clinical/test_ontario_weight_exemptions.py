"""Ontario's calculator: not for PI/SID (titrated to IgG), and pre-pregnancy weight in pregnancy (s6)."""

from __future__ import annotations

import pytest

from ivig.clinical.patient import PatientFactors, Sex
from ivig.clinical.plan import PlanError, PlanRequest, plan_infusion
from ivig.clinical.settings import DosingSettings, WeightPolicy
from ivig.clinical.weight import WeightBasis

ONTARIO = DosingSettings(weight_policy=WeightPolicy.ONTARIO)
OBESE = PatientFactors(age_years=45, sex=Sex.FEMALE, weight_kg=110, height_cm=165)


def test_it_doses_pi_and_sid_on_actual_weight_under_ontario() -> None:
    for regimen in ("pi", "sid"):
        plan = plan_infusion(PlanRequest("gamunex-c", regimen, OBESE, dose_g_per_kg=0.4), settings=ONTARIO)
        assert plan.dosing_weight.basis is WeightBasis.ACTUAL
        assert "titrated to IgG" in plan.dosing_weight.reason


def test_it_still_adjusts_for_other_indications_under_ontario() -> None:
    plan = plan_infusion(PlanRequest("gamunex-c", "itp", OBESE), settings=ONTARIO)
    assert plan.dosing_weight.basis is WeightBasis.ADJUSTED


def test_it_asks_for_the_pre_pregnancy_weight_under_ontario() -> None:
    pregnant = PatientFactors(age_years=30, sex=Sex.FEMALE, weight_kg=90, height_cm=165, pregnant=True)
    with pytest.raises(PlanError, match="pre-pregnancy weight"):
        plan_infusion(PlanRequest("gamunex-c", "itp", pregnant), settings=ONTARIO)


def test_it_doses_on_the_pre_pregnancy_weight_under_ontario() -> None:
    pregnant = PatientFactors(
        age_years=30, sex=Sex.FEMALE, weight_kg=90, height_cm=165, pregnant=True, pre_pregnancy_weight_kg=70
    )
    plan = plan_infusion(PlanRequest("gamunex-c", "itp", pregnant), settings=ONTARIO)
    assert plan.dosing_weight.actual_kg == 70
    assert plan.prescribed_dose_g == pytest.approx(2 * plan.dosing_weight.kg)
    assert "pre-pregnancy" in plan.dosing_weight.reason
