"""thrombosis_or_renal_risk says when the label's risk rate cap applies."""

import dataclasses

import pytest

from ivig.clinical.patient import PatientFactors, Sex, ThrombosisRisk
from ivig.clinical.risk import renal_reasons, thrombosis_or_renal_risk, thrombosis_reasons

ADULT = PatientFactors(age_years=40, sex=Sex.FEMALE, weight_kg=70)


def test_it_is_false_without_risk_factors() -> None:
    assert not thrombosis_or_renal_risk(ADULT)
    assert thrombosis_reasons(ADULT) == () and renal_reasons(ADULT) == ()


@pytest.mark.parametrize(
    "change",
    [{"thrombosis_risks": frozenset({risk})} for risk in ThrombosisRisk]
    + [
        {"age_years": 61},
        {"egfr_ml_per_min_per_1_73m2": 45.0},
        {"renal_impairment": True},
        {"diabetes": True},
        {"volume_depletion": True},
        {"sepsis": True},
        {"paraproteinaemia": True},
        {"nephrotoxic_drugs": True},
        {"pregnant": True},
    ],
)
def test_it_is_true_for_each_boxed_warning_factor(change: dict[str, object]) -> None:
    assert thrombosis_or_renal_risk(dataclasses.replace(ADULT, **change))  # type: ignore[arg-type]


def test_it_names_the_reasons() -> None:
    patient = dataclasses.replace(ADULT, age_years=70, egfr_ml_per_min_per_1_73m2=30.0)
    assert "age over 60" in thrombosis_reasons(patient)
    assert renal_reasons(patient) == ("eGFR 30 < 60 mL/min/1.73 m2", "age over 65")
