"""Spot checks of catalog values against docs/reference/products.md (s1-s3)."""

import pytest

from ivig.clinical.catalog import FactStatus, default_catalog
from ivig.clinical.catalog.model import Indication, TitrationKind


def _rates(name: str, indication: Indication):  # type: ignore[no-untyped-def]
    limits = default_catalog().get(name).iv_rate_limits(indication)
    assert limits is not None
    return limits


@pytest.mark.parametrize(
    ("name", "indication", "initial", "maximum", "risk"),
    [
        ("Gammagard Liquid", Indication.PI, 0.8, 8, None),
        ("Gammagard Liquid", Indication.CIDP, 0.8, 9, None),
        ("Gamunex-C", Indication.CIDP, 2, 8, None),
        ("Privigen", Indication.ITP, 0.5, 4, None),
        ("Octagam 5%", Indication.PI, 0.5, 3.33, 3.33),
        ("Octagam 10%", Indication.ITP, 1, 12, 3.3),
        ("Octagam 10%", Indication.DM, 1, 4, 3.3),
        ("Flebogamma 5% DIF", Indication.PI, 0.5, 5, None),
        ("Flebogamma 10% DIF", Indication.ITP, 1, 8, None),
        ("Bivigam", Indication.PI, 0.5, 6, None),
        ("Panzyga", Indication.PI, 1, 14, 3.3),
        ("Panzyga", Indication.ITP, 1, 8, 3.3),
        ("Panzyga", Indication.CIDP, 1, 12, 3.3),
        ("Gammaplex 5%", Indication.ITP, 0.5, 4, None),
        ("Gammaplex 10%", Indication.PI, 0.5, 8, None),
        ("Asceniv", Indication.PI, 0.5, 8, None),
        ("Carimune NF", Indication.PI, 0.5, 3, 2),
    ],
)
def test_it_holds_the_labelled_iv_rates(
    name: str, indication: Indication, initial: float, maximum: float, risk: float | None
) -> None:
    limits = _rates(name, indication)
    assert limits.initial_rate_mg_per_kg_per_min.value == initial
    assert limits.max_rate_mg_per_kg_per_min.value == maximum
    assert limits.risk_max_rate_mg_per_kg_per_min.value == risk


def test_it_encodes_the_three_titration_kinds() -> None:
    octagam = _rates("Octagam 10%", Indication.ITP).titration
    assert octagam.kind is TitrationKind.SEQUENCE
    assert octagam.sequence_mg_per_kg_per_min == (2, 4, 8, 12)
    assert octagam.interval_min.value == 30
    bivigam = _rates("Bivigam", Indication.PI)
    assert bivigam.titration.kind is TitrationKind.INCREMENT
    assert bivigam.titration.increment_mg_per_kg_per_min == 0.8
    assert bivigam.titration.interval_min.value == 20
    assert bivigam.initial_duration_min.value == 10
    privigen = _rates("Privigen", Indication.PI).titration
    assert privigen.kind is TitrationKind.PROTOCOL
    assert not privigen.interval_min.known


def test_it_derives_vial_volumes_from_concentration() -> None:
    catalog = default_catalog()
    assert [(v.grams, v.volume_ml) for v in catalog.get("Octagam 5%").vial_sizes][:2] == [(1, 20), (2.5, 50)]
    assert [v.volume_ml for v in catalog.get("Hizentra").vial_sizes] == [5, 10, 20, 50]
    cutaquig = catalog.get("Cutaquig").vial_sizes
    assert [v.volume_ml for v in cutaquig] == [6, 10, 12, 20, 24, 48]
    assert cutaquig[0].grams == pytest.approx(0.99)


def test_it_records_cutaquig_conflicts_with_the_us_label_as_default() -> None:
    cutaquig = default_catalog().get("Cutaquig")
    assert cutaquig.concentration_g_per_100ml.status is FactStatus.CONFLICTING
    assert cutaquig.concentration_g_per_100ml.value == 16.5
    assert [v for v, _ in cutaquig.concentration_g_per_100ml.alternatives] == [16.9]
    assert cutaquig.sc is not None
    assert cutaquig.sc.iv_to_sc_factor.value == 1.30
    assert [v for v, _ in cutaquig.sc.iv_to_sc_factor.alternatives] == [1.40]
    assert "sources disagree" in cutaquig.sc.iv_to_sc_factor.display()


def test_it_flags_the_sugars_and_proline() -> None:
    catalog = default_catalog()
    assert {p.slug for p in catalog.all() if p.contains_maltose} == {"octagam-5", "octagam-10", "cutaquig"}
    assert {p.slug for p in catalog.all() if p.contains_sucrose} == {"carimune-nf"}
    assert {p.slug for p in catalog.all() if p.contains_proline} == {"privigen", "hizentra"}
    assert {p.slug for p in catalog.all() if p.contains_sorbitol} == {
        "flebogamma-5-dif",
        "flebogamma-10-dif",
        "gammaplex-5",
    }
    assert catalog.get("Carimune NF").discontinued
