"""Hard contraindications per product, each with a source."""

import dataclasses

import pytest

from ivig.clinical.catalog import default_catalog
from ivig.clinical.patient import PatientFactors, Severity, Sex
from ivig.clinical.risk import screen_product

ADULT = PatientFactors(age_years=40, sex=Sex.FEMALE, weight_kg=70)


def _contraindicated(factors: PatientFactors) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for product in default_catalog().all():
        screen = screen_product(factors, product)
        for finding in screen.contraindications:
            assert finding.source and finding.product == product.slug
            out.setdefault(finding.code, set()).add(product.slug)
    return out


def test_it_finds_no_contraindication_for_a_plain_adult() -> None:
    assert _contraindicated(ADULT) == {}


def test_it_contraindicates_every_iga_containing_product_with_anti_iga_antibodies() -> None:
    found = _contraindicated(dataclasses.replace(ADULT, iga_deficient_with_antibodies=True))
    assert found["iga-deficiency-anti-iga"] == {
        p.slug for p in default_catalog().all()
    }  # HyQvia: unknown IgA


def test_it_contraindicates_proline_products_in_hyperprolinaemia() -> None:
    found = _contraindicated(dataclasses.replace(ADULT, hyperprolinaemia=True))
    assert found == {"hyperprolinaemia-proline": {"privigen", "hizentra"}}


def test_it_contraindicates_sorbitol_products_in_fructose_intolerance() -> None:
    found = _contraindicated(dataclasses.replace(ADULT, hereditary_fructose_intolerance=True))
    assert found == {
        "fructose-intolerance-sorbitol": {"flebogamma-5-dif", "flebogamma-10-dif", "gammaplex-5"}
    }


@pytest.mark.parametrize("name", ["Yimmugo", "HyQvia"])
def test_it_warns_when_unknown_excipients_cannot_be_excluded(name: str) -> None:
    factors = dataclasses.replace(ADULT, hereditary_fructose_intolerance=True)
    screen = screen_product(factors, default_catalog().get(name))
    assert "excipients-unknown" in screen.codes()
    assert not screen.contraindicated


def test_it_lists_contraindications_before_cautions() -> None:
    factors = dataclasses.replace(ADULT, hyperprolinaemia=True, first_infusion=True)
    screen = screen_product(factors, default_catalog().get("privigen"))
    assert screen.findings[0].severity is Severity.CONTRAINDICATION
    assert screen.contraindicated
