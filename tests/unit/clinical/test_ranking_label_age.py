"""Products labelled for the patient's age rank before those whose label age is unknown, and those before
products labelled only for older patients."""

import dataclasses

from ivig.clinical.catalog import Route, default_catalog
from ivig.clinical.catalog.model import Indication
from ivig.clinical.patient import PatientFactors, Sex
from ivig.clinical.ranking import rank_products

NEONATE = PatientFactors(age_years=7 / 365.25, sex=Sex.MALE, weight_kg=3)


def _ranking(age_years: float, indication: Indication = Indication.PI, route: Route | None = Route.IV):  # type: ignore[no-untyped-def]
    patient = dataclasses.replace(NEONATE, age_years=age_years)
    return rank_products(patient, indication, default_catalog().all(), route)


def _order(ranking) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.product.slug for r in ranking]


def test_it_does_not_rank_a_product_labelled_from_12_years_first_for_a_neonate() -> None:
    ranking = _ranking(NEONATE.age_years)
    order = _order(ranking)
    assert order[0] != "asceniv"
    below = [r.product.slug for r in ranking if any("below the label age" in x for x in r.reasons)]
    assert set(below) == {"asceniv", "gammagard-liquid", "gamunex-c", "panzyga", "gammaplex-10"}
    labelled_for_pi = [r for r in ranking if Indication.PI in r.product.indications]
    assert _order(labelled_for_pi)[-len(below) :] == [s for s in order if s in below]  # last of the labelled
    asceniv = next(r for r in ranking if r.product.slug == "asceniv")
    assert "below the label age (PI from 12 y)" in asceniv.reasons
    assert asceniv.suitable  # off-label paediatric use is allowed, with a reason


def test_it_ranks_a_product_labelled_for_a_childs_age_before_an_unknown_one() -> None:
    order = _order(_ranking(5))
    assert order.index("gammagard-liquid") < order.index("bivigam")  # PI >= 2 y; Bivigam: no age
    assert order.index("bivigam") < order.index("asceniv")  # unknown before below the label age


def test_it_keeps_an_adolescent_on_asceniv_labelled() -> None:
    ranking = _ranking(13)
    asceniv = next(r for r in ranking if r.product.slug == "asceniv")
    assert "labelled from 12 y" in asceniv.reasons


def test_it_does_not_rank_an_adult_by_an_unknown_label_age() -> None:
    order = _order(_ranking(40))
    assert order.index("bivigam") < order.index("gammagard-liquid")  # by name, as before
