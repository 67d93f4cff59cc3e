"""Products are found case-insensitively with spaces, hyphens or aliases; unknown names get suggestions."""

import pytest

from ivig.clinical.catalog import UnknownProductError, default_catalog


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Gammagard Liquid", "gammagard-liquid"),
        ("gammagard-liquid", "gammagard-liquid"),
        ("GAMMAGARD liquid", "gammagard-liquid"),
        ("  gammagard_liquid ", "gammagard-liquid"),
        ("gammagardliquid", "gammagard-liquid"),
        ("Octagam 10%", "octagam-10"),
        ("octagam-10", "octagam-10"),
        ("Octagam 5%", "octagam-5"),
        ("Gammagard S/D", "gammagard-s-d"),
        ("gammagard-sd", "gammagard-s-d"),
        ("Flebogamma 5% DIF", "flebogamma-5-dif"),
        ("flebogamma-10", "flebogamma-10-dif"),
        ("gamunex", "gamunex-c"),
        ("carimune", "carimune-nf"),
        ("HYQVIA", "hyqvia"),
    ],
)
def test_it_matches_name_variants(name: str, slug: str) -> None:
    assert default_catalog().get(name).slug == slug


def test_it_suggests_the_closest_names_for_an_unknown_product() -> None:
    with pytest.raises(UnknownProductError) as caught:
        default_catalog().get("gamagard liquid")
    assert caught.value.name == "gamagard liquid"
    assert caught.value.suggestions[0] == "Gammagard Liquid"
    assert "Did you mean: Gammagard Liquid" in str(caught.value)


def test_it_suggests_for_a_misspelt_short_name() -> None:
    with pytest.raises(UnknownProductError) as caught:
        default_catalog().get("privigne")
    assert "Privigen" in caught.value.suggestions


def test_it_suggests_nothing_for_nonsense() -> None:
    with pytest.raises(UnknownProductError) as caught:
        default_catalog().get("zzzzqqq")
    assert caught.value.suggestions == ()


def test_it_answers_membership_without_raising() -> None:
    catalog = default_catalog()
    assert "Gamunex C" in catalog
    assert "aspirin" not in catalog
