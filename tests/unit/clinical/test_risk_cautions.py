"""Soft cautions and information for each risk factor, with stable codes and sources."""

import dataclasses

import pytest

from ivig.clinical.catalog import default_catalog
from ivig.clinical.catalog.model import Indication
from ivig.clinical.patient import (
    BloodGroup,
    GlucoseMeter,
    PatientFactors,
    Severity,
    Sex,
    ThrombosisRisk,
)
from ivig.clinical.risk import product_findings, screen_product

ADULT = PatientFactors(age_years=40, sex=Sex.MALE, weight_kg=70)


def _codes(product: str, indication: Indication | None = None, dose: float | None = None, **factors: object):  # type: ignore[no-untyped-def]
    patient = dataclasses.replace(ADULT, **factors)  # type: ignore[arg-type]
    screen = screen_product(patient, default_catalog().get(product), indication, dose)
    assert all(f.source and f.message for f in screen.findings)
    return {f.code: f.severity for f in screen.findings}


def test_it_gives_a_plain_adult_only_the_trali_information() -> None:
    assert _codes("privigen", Indication.PI) == {"trali-info": Severity.INFO}
    assert _codes("hizentra", Indication.PI) == {}


@pytest.mark.parametrize(
    "factors",
    [
        {"thrombosis_risks": frozenset({ThrombosisRisk.ESTROGENS})},
        {"thrombosis_risks": frozenset({ThrombosisRisk.CENTRAL_CATHETER})},
        {"age_years": 61},
        {"pregnant": True},
    ],
)
def test_it_cautions_thrombosis_risk(factors: dict[str, object]) -> None:
    assert _codes("privigen", **factors)["thrombosis-risk"] is Severity.CAUTION


def test_it_does_not_call_age_60_a_thrombosis_risk() -> None:
    assert "thrombosis-risk" not in _codes("privigen", age_years=60)


@pytest.mark.parametrize(
    "factors",
    [
        {"egfr_ml_per_min_per_1_73m2": 59},
        {"renal_impairment": True},
        {"diabetes": True},
        {"age_years": 66},
        {"volume_depletion": True},
        {"sepsis": True},
        {"paraproteinaemia": True},
        {"nephrotoxic_drugs": True},
    ],
)
def test_it_cautions_renal_risk_for_ivig(factors: dict[str, object]) -> None:
    assert _codes("privigen", **factors)["renal-risk"] is Severity.CAUTION
    assert "renal-risk" not in _codes("hizentra", **factors)  # the renal boxed warning is IVIG's


def test_it_ignores_a_normal_egfr() -> None:
    assert "renal-risk" not in _codes("privigen", egfr_ml_per_min_per_1_73m2=60)


def test_it_names_the_label_risk_cap_or_the_site_cap() -> None:
    patient = dataclasses.replace(ADULT, sepsis=True)
    panzyga = {f.code: f for f in product_findings(patient, default_catalog().get("panzyga"))}
    gammagard = {f.code: f for f in product_findings(patient, default_catalog().get("gammagard liquid"))}
    assert "3.3 mg/kg/min" in panzyga["renal-risk"].message
    assert "site's risk cap" in gammagard["renal-risk"].message


@pytest.mark.parametrize("meter", [GlucoseMeter.GDH_PQQ, GlucoseMeter.GLUCOSE_DYE_OXIDOREDUCTASE])
def test_it_cautions_maltose_products_with_an_interfering_meter(meter: GlucoseMeter) -> None:
    for product in ("octagam 5%", "octagam 10%", "cutaquig"):
        assert _codes(product, glucose_meter=meter)["maltose-glucose-meter"] is Severity.CAUTION
    assert "maltose-glucose-meter" not in _codes("privigen", glucose_meter=meter)


def test_it_cautions_maltose_unless_the_meter_is_glucose_specific() -> None:
    assert "maltose-glucose-meter" in _codes("octagam 10%", diabetes=True)
    assert "maltose-glucose-meter" in _codes("octagam 10%")  # unknown meter (issue 16)
    assert "maltose-glucose-meter" not in _codes("octagam 10%", glucose_meter=GlucoseMeter.GLUCOSE_SPECIFIC)


def test_it_cautions_sucrose_with_renal_risk() -> None:
    assert _codes("carimune", egfr_ml_per_min_per_1_73m2=40)["sucrose-renal-risk"] is Severity.CAUTION
    assert "sucrose-renal-risk" not in _codes("carimune")


def test_it_cautions_volume_overload_and_prefers_10_percent() -> None:
    patient = dataclasses.replace(ADULT, heart_failure_or_volume_concern=True)
    dilute = {f.code: f for f in product_findings(patient, default_catalog().get("octagam 5%"))}
    assert "prefer 10%" in dilute["volume-overload"].message
    assert "5% product" in dilute["volume-overload"].message


@pytest.mark.parametrize("group", [BloodGroup.A, BloodGroup.B, BloodGroup.AB])
def test_it_cautions_haemolysis_for_non_o_blood_groups_at_2_g_per_kg(group: BloodGroup) -> None:
    assert _codes("privigen", dose=2.0, blood_group=group)["haemolysis-risk"] is Severity.CAUTION
    assert "haemolysis-risk" not in _codes("privigen", dose=1.9, blood_group=group)
    assert "haemolysis-risk" not in _codes("privigen", dose=2.0, blood_group=BloodGroup.O)


def test_it_notes_an_unknown_blood_group_at_high_dose() -> None:
    assert _codes("privigen", dose=2.0)["haemolysis-blood-group-unknown"] is Severity.INFO


def test_it_cautions_aseptic_meningitis_for_migraine_at_high_dose() -> None:
    assert _codes("privigen", dose=2.0, migraine=True)["aseptic-meningitis-risk"] is Severity.CAUTION
    assert "aseptic-meningitis-risk" not in _codes("privigen", dose=1.0, migraine=True)


def test_it_cautions_pregnancy_and_previous_reaction_and_informs_of_a_first_infusion() -> None:
    assert _codes("privigen", pregnant=True)["pregnancy"] is Severity.CAUTION
    codes = _codes("privigen", previous_reactions=("privigen",), first_infusion=True)
    assert codes["previous-reaction"] is Severity.CAUTION
    assert codes["first-infusion"] is Severity.INFO
    assert "previous-reaction" not in _codes("panzyga", previous_reactions=("privigen",))


def test_it_quotes_the_first_infusion_anaphylaxis_rate() -> None:
    patient = dataclasses.replace(ADULT, first_infusion=True)
    first = next(
        f for f in product_findings(patient, default_catalog().get("privigen")) if f.code == "first-infusion"
    )
    assert "22.9 per 10,000" in first.message
    assert "PMC8561696" in first.source


def test_it_cautions_off_label_and_discontinued_products() -> None:
    assert _codes("octagam 5%", Indication.ITP)["off-label-indication"] is Severity.CAUTION
    assert "off-label-indication" not in _codes("octagam 10%", Indication.ITP)
    assert _codes("carimune", Indication.PI)["discontinued-product"] is Severity.CAUTION


def test_it_cautions_sorbitol_for_infants() -> None:
    assert _codes("gammaplex 5%", age_years=0.5)["sorbitol-infant"] is Severity.CAUTION
    assert "sorbitol-infant" not in _codes("gammaplex 5%", age_years=1)
