"""Whole vials above the dose: the prescribed dose is infused and the rest is waste, unless accepted."""

from __future__ import annotations

import itertools

import pytest

from ivig.clinical.catalog import default_catalog
from ivig.clinical.catalog.model import Route
from ivig.clinical.patient import PatientFactors, Severity, Sex
from ivig.clinical.plan import PlanError, PlanRequest, plan_infusion
from ivig.clinical.regimens import all_regimens
from ivig.clinical.settings import DosingSettings, RoundingRule
from ivig.clinical.vials import plan_vials

NEONATE = PatientFactors(age_years=0.02, sex=Sex.MALE, weight_kg=3)


def test_it_infuses_only_the_prescribed_dose_from_a_5_g_vial_for_a_neonate() -> None:
    plan = plan_infusion(PlanRequest("privigen", "pi", NEONATE, dose_g_per_kg=0.4))
    day = plan.days[0]
    assert day.vials.dispensed_g == 5
    assert day.volume_ml == pytest.approx(12)  # 1.2 g of a 10 % product, not the whole 50 mL
    assert day.waste_ml == pytest.approx(38) and day.waste_g == pytest.approx(3.8)
    assert day.rates is not None and sum(s.volume_ml for s in day.rates.steps) == pytest.approx(12)
    waste = next(w for w in plan.warnings if w.code == "part-vial-waste")
    assert waste.severity is Severity.CAUTION and "+317 %" in waste.message
    assert plan.to_dict()["days"][0]["waste_ml"] == pytest.approx(38)


def test_it_stops_infusing_the_whole_vial_when_it_passes_the_regimen_maximum() -> None:
    plan = plan_infusion(PlanRequest("privigen", "pi", NEONATE, dose_g_per_kg=0.4, accept_rounded_dose=True))
    (stop,) = plan.stops
    assert stop.code == "rounded-dose-overage" and stop.field == "dose"


def test_it_asks_for_a_reason_to_infuse_a_rounded_dose_within_the_limits() -> None:
    adult = PatientFactors(age_years=40, sex=Sex.MALE, weight_kg=70)
    plan = plan_infusion(
        PlanRequest("privigen", "pi", adult, dose_g_per_kg=0.4, accept_rounded_dose=True)  # 28 g -> 30 g
    )
    assert not plan.stops
    accepted = next(w for w in plan.cautions if w.code == "rounded-dose-accepted")
    assert "+7.1 %" in accepted.message
    assert plan.days[0].volume_ml == pytest.approx(300)


def test_it_stops_an_accepted_overage_above_the_site_stop_level() -> None:
    adult = PatientFactors(age_years=40, sex=Sex.MALE, weight_kg=70)
    site = DosingSettings(overage_caution_pct=2, overage_stop_pct=5)
    plan = plan_infusion(
        PlanRequest("privigen", "pi", adult, dose_g_per_kg=0.4, accept_rounded_dose=True), settings=site
    )
    assert [w.code for w in plan.stops] == ["rounded-dose-overage"]


@pytest.mark.parametrize("rule", list(RoundingRule))
def test_it_never_cuts_a_dose_by_more_than_the_tolerance_under_any_rule(rule: RoundingRule) -> None:
    (product,) = [p for p in default_catalog().all() if p.slug == "bivigam"]  # 5 and 10 g vials
    plan = plan_vials(17.0, product.vial_sizes, rule, tolerance_pct=10.0)
    assert plan.dispensed_g >= 17.0 * 0.9


def test_it_rounds_down_within_the_tolerance_rather_than_far_up() -> None:
    (product,) = [p for p in default_catalog().all() if p.slug == "bivigam"]
    plan = plan_vials(10.6, product.vial_sizes, RoundingRule.NEAREST_5_G, tolerance_pct=10.0)
    assert plan.dispensed_g == 10  # the nearest 5 g would be 10 too; 15 g (+42 %) never


def test_it_never_infuses_more_than_110_percent_of_the_regimen_maximum_over_the_label_grid() -> None:
    """Issue 16: 18.5 % of on-label plans dispensed (and infused) over 110 % of the regimen maximum."""
    checked = 0
    for product, regimen, weight in itertools.product(
        default_catalog().by_route(Route.IV), all_regimens().values(), (3, 7, 12, 18, 25, 40, 70, 110)
    ):
        if regimen.indication not in product.indications:
            continue
        option = regimen.default_option(product.slug)
        patient = PatientFactors(age_years=30, sex=Sex.FEMALE, weight_kg=weight)
        dose = option.usual_g_per_kg or option.max_g_per_kg
        try:
            plan = plan_infusion(PlanRequest(product.slug, regimen.id, patient, dose_g_per_kg=dose))
        except PlanError:
            continue
        checked += 1
        maximum = regimen.total_g_per_kg(option.max_g_per_kg, len(plan.days))
        infused = sum(d.infused_g for d in plan.days) / weight
        assert infused <= maximum * 1.1 + 1e-9, (product.slug, regimen.id, weight)
        dispensed = plan.dispensed_dose_g / weight
        if dispensed > maximum * 1.1:
            assert any(w.code == "part-vial-waste" and w.severity is Severity.CAUTION for w in plan.warnings)
    assert checked > 200
