"""SC doses: the regimen's range per kg per week (caution) and the 28-day ceiling (stop)."""

from __future__ import annotations

import pytest

from ivig.clinical.catalog.model import Route
from ivig.clinical.patient import PatientFactors, Sex
from ivig.clinical.plan import PlanRequest, plan_infusion


def _sc(product: str, regimen: str, weight_kg: float, **extra: object) -> object:
    patient = PatientFactors(age_years=8 if weight_kg < 40 else 45, sex=Sex.MALE, weight_kg=weight_kg)
    return plan_infusion(PlanRequest(product, regimen, patient, route=Route.SC, **extra))  # type: ignore[arg-type]


def test_it_stops_hizentra_40_g_weekly_for_a_20_kg_child() -> None:
    plan = _sc("hizentra", "pi", 20, sc_dose_g=40)
    codes = {w.code: w for w in plan.warnings}  # type: ignore[attr-defined]
    assert "above-28-day-ceiling" in {w.code for w in plan.stops}  # type: ignore[attr-defined]
    assert codes["above-28-day-ceiling"].field == "sc_dose"
    assert "4 infusions in 28 days" in codes["above-28-day-ceiling"].message
    assert "sc-dose-outside-range" in codes


def test_it_plans_a_usual_weekly_pi_dose_without_a_caution() -> None:
    plan = _sc("hizentra", "pi", 70, sc_dose_g=10)  # 0.14 g/kg a week
    assert not plan.stops  # type: ignore[attr-defined]
    assert "sc-dose-outside-range" not in {w.code for w in plan.cautions}  # type: ignore[attr-defined]


@pytest.mark.parametrize(("weekly", "flagged"), [(0.3, False), (0.5, True), (0.1, True)])
def test_it_checks_hizentra_cidp_against_0_2_to_0_4_a_week(weekly: float, flagged: bool) -> None:
    plan = _sc("hizentra", "cidp-maintenance", 70, dose_g_per_kg=weekly)
    assert ("sc-dose-outside-range" in {w.code for w in plan.cautions}) is flagged  # type: ignore[attr-defined]


def test_it_counts_every_infusion_of_a_fortnightly_dose_in_28_days() -> None:
    plan = _sc("hizentra", "pi", 70, dose_g_per_kg=0.25, sc_interval_weeks=2)  # 0.5 g/kg per infusion
    assert not plan.stops  # type: ignore[attr-defined]
    assert "sc-dose-outside-range" not in {w.code for w in plan.cautions}  # type: ignore[attr-defined]


def test_it_cautions_where_no_source_gives_an_sc_range() -> None:
    plan = _sc("hizentra", "itp", 70, dose_g_per_kg=0.2)
    assert "sc-range-unknown" in {w.code for w in plan.cautions}  # type: ignore[attr-defined]
