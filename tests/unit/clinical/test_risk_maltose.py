"""A maltose product gets the glucose-meter caution unless the patient's meter is known to be
glucose-specific (docs/reference/risk.md s7 maltose)."""

import dataclasses

import pytest

from ivig.clinical.catalog import default_catalog
from ivig.clinical.patient import GlucoseMeter, PatientFactors, Severity, Sex
from ivig.clinical.risk import screen_product

ADULT = PatientFactors(age_years=40, sex=Sex.FEMALE, weight_kg=70)
MALTOSE_PRODUCTS = ("octagam 5%", "octagam 10%", "cutaquig")


def _maltose(product: str, **factors: object):  # type: ignore[no-untyped-def]
    patient = dataclasses.replace(ADULT, **factors)  # type: ignore[arg-type]
    found = screen_product(patient, default_catalog().get(product)).findings
    return next((f for f in found if f.code == "maltose-glucose-meter"), None)


@pytest.mark.parametrize("product", MALTOSE_PRODUCTS)
def test_it_cautions_when_the_meter_is_unknown(product: str) -> None:
    assert ADULT.glucose_meter is GlucoseMeter.UNKNOWN  # the CLI and form default
    finding = _maltose(product)
    assert finding is not None and finding.severity is Severity.CAUTION
    assert "glucose meter type is not recorded" in finding.message
    assert "glucose-specific method" in finding.message
    assert finding.field == "product"
    assert "s7 maltose" in finding.source


@pytest.mark.parametrize("meter", [GlucoseMeter.GDH_PQQ, GlucoseMeter.GLUCOSE_DYE_OXIDOREDUCTASE])
def test_it_cautions_and_names_a_meter_that_reads_maltose(meter: GlucoseMeter) -> None:
    finding = _maltose("octagam 10%", glucose_meter=meter)
    assert finding is not None and finding.severity is Severity.CAUTION
    assert meter.value in finding.message


def test_it_is_silent_only_for_a_meter_known_to_be_glucose_specific() -> None:
    for product in MALTOSE_PRODUCTS:
        assert _maltose(product, glucose_meter=GlucoseMeter.GLUCOSE_SPECIFIC) is None
        assert _maltose(product, glucose_meter=GlucoseMeter.GLUCOSE_SPECIFIC, diabetes=True) is None


def test_it_never_cautions_a_product_without_maltose() -> None:
    assert _maltose("privigen") is None


@pytest.mark.parametrize("name", ["Yimmugo", "HyQvia"])
def test_it_cannot_exclude_maltose_when_the_excipients_and_the_meter_are_unknown(name: str) -> None:
    codes = {f.code for f in screen_product(ADULT, default_catalog().get(name)).findings}
    assert "excipients-unknown" in codes
    specific = dataclasses.replace(ADULT, glucose_meter=GlucoseMeter.GLUCOSE_SPECIFIC)
    assert "excipients-unknown" not in {
        f.code for f in screen_product(specific, default_catalog().get(name)).findings
    }
