"""Products are ranked best first for a patient, indication and route, with reasons."""

import dataclasses

import pytest

from ivig.clinical.catalog import Route, default_catalog
from ivig.clinical.catalog.model import Indication
from ivig.clinical.patient import PatientFactors, Sex
from ivig.clinical.ranking import rank_products, suitable_products

ADULT = PatientFactors(age_years=40, sex=Sex.FEMALE, weight_kg=70)


def _ranking(indication: Indication, route: Route | None = Route.IV, **factors: object):  # type: ignore[no-untyped-def]
    patient = dataclasses.replace(ADULT, **factors)  # type: ignore[arg-type]
    return rank_products(patient, indication, default_catalog().all(), route)


def _names(ranking) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.product.slug for r in ranking]


def test_it_keeps_only_products_given_by_the_route() -> None:
    ranking = _ranking(Indication.PI, Route.SC)
    assert set(_names(ranking)) == {p.slug for p in default_catalog().by_route(Route.SC)}


def test_it_puts_labelled_products_with_label_rates_first() -> None:
    ranking = _ranking(Indication.ITP)
    suitable = suitable_products(ranking)
    assert {r.product.slug for r in suitable} >= {"privigen", "panzyga", "octagam-10", "gamunex-c"}
    assert all(Indication.ITP in r.product.indications for r in suitable)
    assert ranking[: len(suitable)] == suitable  # suitable products come first
    assert [r.rank for r in ranking] == list(range(1, len(ranking) + 1))
    # Labelled but without label rates (site must configure) come after those with rates.
    position = {slug: i for i, slug in enumerate(_names(ranking))}
    assert position["privigen"] < position["gammaked"]
    assert position["privigen"] < position["gammagard-s-d"]
    assert "not labelled for itp" in ranking[-1].reasons


def test_it_excludes_contraindicated_products_and_says_why() -> None:
    ranking = _ranking(Indication.PI, hyperprolinaemia=True)
    privigen = next(r for r in ranking if r.product.slug == "privigen")
    assert not privigen.suitable
    assert "contraindicated: hyperprolinaemia-proline" in privigen.reasons
    assert privigen.rank > len(suitable_products(ranking))


def test_it_prefers_10_percent_products_for_volume_concern() -> None:
    ranking = _ranking(Indication.PI, heart_failure_or_volume_concern=True)
    order = _names(suitable_products(ranking))
    assert order.index("gammaplex-10") < order.index("gammaplex-5")
    assert order.index("privigen") < order.index("octagam-5")
    five = next(r for r in ranking if r.product.slug == "octagam-5")
    assert "volume concern: under 10% concentration" in five.reasons


def test_it_ranks_maltose_down_for_diabetes() -> None:
    order = _names(_ranking(Indication.ITP, diabetes=True))
    assert order.index("privigen") < order.index("octagam-10")


@pytest.mark.parametrize(("indication", "route"), [(Indication.PI, Route.IV), (Indication.PI, None)])
def test_it_ranks_lowest_iga_first_when_iga_deficient(indication: Indication, route: Route | None) -> None:
    # Issue 16: Gammagard S/D (<1 ug/mL) ranked 12th because its IV rates are not in label data.
    ranking = _ranking(indication, route, iga_deficient_with_antibodies=True)
    assert _names(ranking)[:4] == ["gammagard-s-d", "gammaplex-5", "gammaplex-10", "privigen"]
    assert "IgA <1 ug/mL (5%)" in ranking[0].reasons
    assert suitable_products(ranking) == ()  # IgA deficiency with antibodies contraindicates all


def test_it_ranks_lowest_iga_first_even_off_label() -> None:
    order = _names(_ranking(Indication.CIDP, Route.IV, iga_deficient_with_antibodies=True))
    assert order[:4] == ["gammagard-s-d", "gammaplex-5", "gammaplex-10", "privigen"]


def test_it_ranks_another_contraindication_below_every_iga_choice() -> None:
    order = _names(
        _ranking(Indication.PI, Route.IV, iga_deficient_with_antibodies=True, hyperprolinaemia=True)
    )
    assert order.index("privigen") > order.index("octagam-5")  # proline: out whatever its IgA


def test_it_ranks_a_product_the_patient_reacted_to_last_among_equals() -> None:
    order = _names(suitable_products(_ranking(Indication.PI, previous_reactions=("privigen",))))
    assert order.index("privigen") > order.index("gammaplex-10")
