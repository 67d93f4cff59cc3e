"""SCIG per-site limits are chosen by infusion number, weight, age and indication."""

from ivig.clinical.catalog import default_catalog
from ivig.clinical.catalog.model import Indication, ScLimits


def _sc(name: str) -> ScLimits:
    sc = default_catalog().get(name).sc
    assert sc is not None
    return sc


def test_it_uses_cuvitru_initial_limits_for_the_first_two_infusions() -> None:
    sc = _sc("Cuvitru")
    first = sc.site_limits_for(1, weight_kg=70, age_years=30)
    third = sc.site_limits_for(3, weight_kg=70, age_years=30)
    small = sc.site_limits_for(2, weight_kg=30, age_years=8)
    assert first is not None and third is not None and small is not None
    assert (first.max_volume_ml_per_site.value, first.max_rate_ml_per_h_per_site.value) == (60, 20)
    assert (third.max_volume_ml_per_site.value, third.max_rate_ml_per_h_per_site.value) == (60, 60)
    assert small.max_volume_ml_per_site.value == 20
    assert sc.max_sites.value == 4
    assert sc.max_total_rate_ml_per_h.value == 240


def test_it_uses_xembify_age_bands() -> None:
    sc = _sc("Xembify")
    child = sc.site_limits_for(5, weight_kg=25, age_years=9.9)
    older = sc.site_limits_for(5, weight_kg=35, age_years=10)
    assert child is not None and older is not None
    assert child.max_rate_ml_per_h_per_site.value == 25
    assert older.max_rate_ml_per_h_per_site.value == 35


def test_it_prefers_hizentra_cidp_rows_for_cidp() -> None:
    sc = _sc("Hizentra")
    pi = sc.site_limits_for(1, 70, 40, Indication.PI)
    cidp = sc.site_limits_for(2, 70, 40, Indication.CIDP)
    assert pi is not None and cidp is not None
    assert pi.max_volume_ml_per_site.value == 15
    assert cidp.max_volume_ml_per_site.value == 50
    assert sc.iv_to_sc_factor.value == 1.37


def test_it_gives_hyqvia_daily_volume_by_weight() -> None:
    sc = _sc("HyQvia")
    assert sc.facilitated
    heavy, light = sc.daily_volume_limit_for(70), sc.daily_volume_limit_for(30)
    assert heavy is not None and light is not None
    assert (heavy.max_volume_ml.value, light.max_volume_ml.value) == (1200, 600)


def test_it_keeps_gammagard_sc_weight_bands() -> None:
    sc = _sc("Gammagard Liquid")
    heavy = sc.site_limits_for(2, 40, 30)
    light = sc.site_limits_for(1, 39.9, 10)
    assert heavy is not None and light is not None
    assert (heavy.max_volume_ml_per_site.value, heavy.max_rate_ml_per_h_per_site.value) == (30, 30)
    assert (light.max_volume_ml_per_site.value, light.max_rate_ml_per_h_per_site.value) == (20, 15)
    assert sc.max_sites.value == 8
