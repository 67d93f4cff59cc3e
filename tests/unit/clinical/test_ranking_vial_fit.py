"""Products whose smallest vial holds more than one day's dose rank below those with a vial that fits."""

from ivig.clinical.catalog import Route, default_catalog
from ivig.clinical.catalog.model import Indication
from ivig.clinical.patient import PatientFactors, Sex
from ivig.clinical.ranking import rank_products

ADULT = PatientFactors(age_years=40, sex=Sex.FEMALE, weight_kg=70)


def _order(dose_g: float | None) -> list[str]:
    ranking = rank_products(ADULT, Indication.PI, default_catalog().all(), Route.IV, dose_g=dose_g)
    return [r.product.slug for r in ranking]


def test_it_ranks_a_product_whose_smallest_vial_exceeds_the_dose_below_one_that_fits() -> None:
    order = _order(2.0)
    assert order.index("gammagard-liquid") < order.index("bivigam")  # 1 g vial vs 5 g vial
    assert order.index("gamunex-c") < order.index("privigen")


def test_it_says_why() -> None:
    ranking = rank_products(ADULT, Indication.PI, default_catalog().all(), Route.IV, dose_g=2.0)
    bivigam = next(r for r in ranking if r.product.slug == "bivigam")
    assert "smallest vial 5 g is more than the day's dose 2 g" in bivigam.reasons


def test_it_counts_a_vial_equal_to_the_dose_as_fitting() -> None:
    order = _order(5.0)
    assert order.index("bivigam") < order.index("gammagard-liquid")  # both fit: by name


def test_it_keeps_the_old_order_without_a_dose() -> None:
    assert _order(None).index("bivigam") < _order(None).index("gammagard-liquid")
