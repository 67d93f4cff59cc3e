"""A patient younger than the label's age for the indication gets a caution on the product; an age the label
data do not give is said for a child."""

import dataclasses

from ivig.clinical.catalog import default_catalog
from ivig.clinical.catalog.model import Indication
from ivig.clinical.patient import PatientFactors, Severity, Sex
from ivig.clinical.risk import age_text, screen_product

NEONATE = PatientFactors(age_years=7 / 365.25, sex=Sex.MALE, weight_kg=3)


def _findings(product: str, indication: Indication, age_years: float):  # type: ignore[no-untyped-def]
    patient = dataclasses.replace(NEONATE, age_years=age_years)
    screen = screen_product(patient, default_catalog().get(product), indication)
    return {f.code: f for f in screen.findings}


def test_it_cautions_a_neonate_given_a_product_labelled_from_12_years() -> None:
    finding = _findings("asceniv", Indication.PI, NEONATE.age_years)["below-label-age"]
    assert finding.severity is Severity.CAUTION
    assert finding.field == "product" and finding.product == "asceniv"
    assert "Asceniv (PI) is labelled from 12 years" in finding.message
    assert "7 days" in finding.message and "off-label" in finding.message
    assert "adults and adolescents 12-17" in finding.source


def test_it_reads_the_age_for_the_indication() -> None:
    assert "below-label-age" not in _findings("panzyga", Indication.PI, 10)  # PI >= 2 y
    assert _findings("panzyga", Indication.ITP, 10)["below-label-age"].severity is Severity.CAUTION  # adults


def test_it_does_not_caution_at_or_above_the_label_age() -> None:
    assert "below-label-age" not in _findings("asceniv", Indication.PI, 12)
    assert "below-label-age" not in _findings("gammagard liquid", Indication.PI, 2)
    assert "below-label-age" in _findings("gammagard liquid", Indication.PI, 1.99)


def test_it_says_an_unknown_label_age_for_a_child_only() -> None:
    finding = _findings("privigen", Indication.PI, 5)["label-age-unknown"]
    assert finding.severity is Severity.INFO and finding.field == "product"
    assert "not in label data" in finding.message
    assert "label-age-unknown" not in _findings("privigen", Indication.PI, 40)


def test_it_leaves_the_age_to_the_off_label_caution_for_an_unlabelled_indication() -> None:
    codes = _findings("asceniv", Indication.ITP, 1)
    assert "off-label-indication" in codes
    assert "below-label-age" not in codes and "label-age-unknown" not in codes


def test_it_says_ages_the_way_a_ward_does() -> None:
    assert [age_text(a) for a in (1 / 365.25, 0.5, 1.99, 2.0, 11.9)] == [
        "1 day",
        "6 months",
        "23 months",
        "2 years",
        "11 years",
    ]
