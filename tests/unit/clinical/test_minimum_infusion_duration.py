"""Kawasaki disease: 2 g/kg over 8-12 h (AHA 2017): the rate plan never finishes sooner."""

from __future__ import annotations

import pytest

from ivig.clinical.catalog import default_catalog
from ivig.clinical.catalog.model import Route
from ivig.clinical.patient import PatientFactors, Sex
from ivig.clinical.plan import PlanError, PlanRequest, plan_infusion


@pytest.mark.parametrize("weight_kg", [3, 4, 8, 10, 15, 22, 35])
@pytest.mark.parametrize("product", [p.slug for p in default_catalog().by_route(Route.IV) if p.vial_sizes])
def test_it_never_plans_kawasaki_shorter_than_8_hours(product: str, weight_kg: float) -> None:
    patient = PatientFactors(age_years=3, sex=Sex.FEMALE, weight_kg=weight_kg)
    try:
        plan = plan_infusion(PlanRequest(product, "kawasaki", patient))
    except PlanError:
        return
    for day in plan.days:
        if day.rates is not None:
            assert day.rates.duration_min >= 8 * 60 - 1e-6


def test_it_caps_the_rate_and_says_why() -> None:
    patient = PatientFactors(age_years=3, sex=Sex.FEMALE, weight_kg=15)
    plan = plan_infusion(PlanRequest("gamunex-c", "kawasaki", patient))
    day = plan.days[0]
    assert day.rates is not None and 8 * 60 <= day.rates.duration_min <= 12 * 60
    cap = next(w for w in plan.warnings if w.code == "minimum-duration-rate-cap")
    assert "AHA 2017" in cap.source
