"""Conservation proposals: each measure's new regimen and grams saved, or why it does not apply."""

from __future__ import annotations

import pytest

from ivig.clinical.catalog import load_catalog
from ivig.clinical.catalog.model import Route
from ivig.clinical.supply import (
    ConservationSettings,
    NotApplicable,
    PatientRegimen,
    ProductInfo,
    Proposal,
    ProposalKind,
    TroughDose,
    conservation_totals,
    proposals_for,
    propose_longer_interval,
    propose_lowest_effective_dose,
    propose_scig,
    propose_trough_guided,
    propose_vial_mix,
)

PRIVIGEN = ProductInfo("privigen", "Privigen", (5.0, 10.0, 20.0, 40.0))
SETTINGS = ConservationSettings()


def _regimen(**kw: object) -> PatientRegimen:
    fields: dict[str, object] = {
        "patient_id": "p1",
        "order_id": "o1",
        "indication": "pi",
        "product": PRIVIGEN,
        "route": Route.IV,
        "dose_g": 30.0,
        "interval_days": 21,
    }
    fields.update(kw)
    return PatientRegimen(**fields)  # type: ignore[arg-type]


def _proposal(outcome: Proposal | NotApplicable) -> Proposal:
    assert isinstance(outcome, Proposal), outcome
    return outcome


def test_it_proposes_a_dose_trial_at_the_sites_fraction_in_whole_vials() -> None:
    p = _proposal(propose_lowest_effective_dose(_regimen(), SETTINGS))
    assert p.dose_g == 25.0 and p.interval_days == 21  # 0.8 x 30 = 24 g -> 25 g in 5/10/20 g vials
    assert p.saved_g_per_12_weeks == pytest.approx(5.0 / 21 * 84)
    assert p.saved_g_per_year == pytest.approx(round(5.0 / 21 * 365, 1))
    assert p.dose_trial and p.review_after_weeks == 12


def test_it_refuses_a_dose_trial_while_one_runs_or_when_vials_save_nothing() -> None:
    assert isinstance(propose_lowest_effective_dose(_regimen(on_dose_trial=True), SETTINGS), NotApplicable)
    small = _regimen(dose_g=5.0)  # 0.8 x 5 = 4 g -> 5 g again
    refused = propose_lowest_effective_dose(small, SETTINGS)
    assert isinstance(refused, NotApplicable) and "would not save" in refused.reason


def test_it_proposes_the_longest_labelled_interval() -> None:
    p = _proposal(propose_longer_interval(_regimen(), SETTINGS))
    assert (p.dose_g, p.interval_days) == (30.0, 28)
    assert p.saved_g_per_12_weeks == pytest.approx(round((30 / 21 - 30 / 28) * 84, 1))
    assert "s5" in p.sources[0]


def test_it_refuses_a_longer_interval_without_a_site_limit_or_at_the_limit() -> None:
    refused = propose_longer_interval(_regimen(indication="cidp"), SETTINGS)
    assert isinstance(refused, NotApplicable) and "not set" in refused.reason
    assert isinstance(propose_longer_interval(_regimen(interval_days=28), SETTINGS), NotApplicable)
    weekly_sc = propose_longer_interval(_regimen(route=Route.SC, dose_g=10.0, interval_days=7), SETTINGS)
    assert isinstance(weekly_sc, NotApplicable) and "s4" in weekly_sc.reason


def test_it_proposes_the_trough_guided_dose_only_with_a_pk_fit() -> None:
    refused = propose_trough_guided(_regimen(), SETTINGS)
    assert isinstance(refused, NotApplicable) and "no PK fit" in refused.reason
    p = _proposal(propose_trough_guided(_regimen(trough=TroughDose(21.0, 21, 7.0)), SETTINGS))
    assert p.dose_g == 20.0 and p.saved_g_per_12_weeks == pytest.approx(10.0 / 21 * 84)
    higher = propose_trough_guided(_regimen(trough=TroughDose(40.0, 21, 9.0)), SETTINGS)
    assert isinstance(higher, NotApplicable)


def test_it_reads_vial_sizes_from_the_catalog() -> None:
    assert ProductInfo.of(load_catalog().get("privigen")) == PRIVIGEN


def test_it_refuses_scig_when_the_label_factor_costs_grams() -> None:
    hizentra = load_catalog().get("hizentra")  # factor 1.37 (s4): more grams, not fewer
    refused = propose_scig(_regimen(interval_days=28), SETTINGS, [hizentra])
    assert isinstance(refused, NotApplicable) and "would not save" in refused.reason


def test_it_proposes_scig_at_the_sites_factor() -> None:
    hizentra = load_catalog().get("hizentra")
    settings = ConservationSettings(sc_factor=0.9, sc_factor_source="site protocol 2026")
    p = _proposal(propose_scig(_regimen(dose_g=40.0, interval_days=28), settings, [hizentra]))
    assert p.route is Route.SC and p.interval_days == 7 and p.product == "hizentra"
    assert p.dose_g == 9.0  # 0.9 x 40 / 4 weeks, in 1/2/4/10 g vials
    assert p.saved_g_per_12_weeks == pytest.approx(round((40 / 28 - 9 / 7) * 84, 1))
    assert p.product_switch and any("first-infusion" in n for n in p.safety_notes)
    assert isinstance(propose_scig(_regimen(route=Route.SC), settings, [hizentra]), NotApplicable)


def test_it_rounds_down_within_the_tolerance_before_offering_another_product() -> None:
    fine = ProductInfo("fine", "Fine", (1.0, 2.5, 5.0))
    p = _proposal(propose_vial_mix(_regimen(dose_g=33.0), SETTINGS, [fine]))  # nearest 35 g; down 30 g: -9 %
    assert (p.dose_g, p.current_dose_g, p.product) == (30.0, 35.0, "privigen")
    assert not p.product_switch and p.saved_g_per_12_weeks == pytest.approx(5.0 / 21 * 84)


def test_it_offers_the_product_whose_vials_waste_least() -> None:
    tens = ProductInfo("tens", "Tens", (10.0,))  # 14 g: 10 g is 29 % under, so 20 g
    fine = ProductInfo("fine", "Fine", (1.0, 2.5, 5.0))
    coarse = ProductInfo("coarse", "Coarse", (20.0,))
    p = _proposal(propose_vial_mix(_regimen(dose_g=14.0, product=tens), SETTINGS, [coarse, fine]))
    assert (p.product, p.dose_g, p.current_dose_g) == ("fine", 14.0, 20.0)
    assert p.product_switch and any("risk screening" in n for n in p.safety_notes)
    assert p.saved_g_per_year == pytest.approx(round(6.0 / 21 * 365, 1))


def test_it_refuses_the_vial_mix_when_nothing_wastes_less() -> None:
    refused = propose_vial_mix(_regimen(dose_g=30.0), SETTINGS, [ProductInfo("tens", "Tens", (10.0,))])
    assert isinstance(refused, NotApplicable)


def test_it_totals_one_best_measure_per_patient() -> None:
    a = proposals_for(_regimen(), SETTINGS)
    b = proposals_for(_regimen(patient_id="p2", dose_g=60.0, trough=TroughDose(41.0, 21, 7.0)), SETTINGS)
    totals = conservation_totals([a, b])
    assert totals.patients == 2 and totals.proposals == len(a.proposals) + len(b.proposals)
    assert totals.best_saved_g_per_12_weeks == pytest.approx(
        a.best.saved_g_per_12_weeks + b.best.saved_g_per_12_weeks  # type: ignore[union-attr]
    )
    kinds = {p.kind for p in b.proposals}
    assert ProposalKind.TROUGH_GUIDED in kinds and ProposalKind.LOWEST_EFFECTIVE_DOSE in kinds
