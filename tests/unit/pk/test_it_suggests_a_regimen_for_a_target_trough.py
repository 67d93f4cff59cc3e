"""The suggested dose reaches the target trough at steady state and is rounded by the dosing engine."""

from __future__ import annotations

import numpy as np
import pytest

from ivig.clinical.catalog import default_catalog
from ivig.clinical.catalog.model import Route
from ivig.clinical.pk.doses import PkInputError
from ivig.clinical.pk.model import Covariates, typical_parameters
from ivig.clinical.pk.regimen import steady_state_trough_g_per_l, suggest_regimen
from ivig.clinical.pk.simulate import ParameterArrays
from ivig.clinical.settings import DosingSettings, RoundingRule
from ivig.clinical.vials import plan_vials

from .helpers import WITH_KA

PARAMS = typical_parameters(Covariates(70.0))


@pytest.mark.parametrize(
    ("route", "weeks", "product"),
    [(Route.IV, 4.0, "privigen"), (Route.IV, 3.0, "privigen"), (Route.SC, 1.0, "hizentra")],
)
def test_it_finds_the_dose_that_gives_the_target_trough(route: Route, weeks: float, product: str) -> None:
    chosen = default_catalog().get(product)
    suggestion = suggest_regimen(
        PARAMS,
        target_trough_g_per_l=9.0,
        interval_weeks=weeks,
        route=route,
        duration_h=3.0,
        product=chosen,
        absorption=WITH_KA,
    )
    assert suggestion.dose_g is not None and suggestion.dose_g > 0
    trough = steady_state_trough_g_per_l(
        ParameterArrays.of([PARAMS]),
        dose_g=suggestion.dose_g,
        interval_days=weeks * 7,
        route=route,
        duration_h=3.0 if route is Route.IV else 0.0,
        product=product,
        absorption=WITH_KA,
    )[0]
    assert trough == pytest.approx(9.0, rel=1e-6)
    assert suggestion.trough_for(suggestion.dose_g) == pytest.approx(9.0)


def test_it_rounds_with_the_dosing_engines_vial_plan() -> None:
    privigen = default_catalog().get("privigen")
    settings = DosingSettings(rounding_rule=RoundingRule.NEAREST_5_G)
    suggestion = suggest_regimen(
        PARAMS,
        target_trough_g_per_l=8.0,
        interval_weeks=4.0,
        route=Route.IV,
        product=privigen,
        settings=settings,
    )
    assert suggestion.dose_g is not None and suggestion.vials is not None
    expected = plan_vials(
        suggestion.dose_g, privigen.vial_sizes, RoundingRule.NEAREST_5_G, settings.rounding_tolerance_pct
    )
    assert suggestion.vials == expected
    assert suggestion.dispensed_g is not None and suggestion.dispensed_g % 5 == 0


def test_it_gives_no_dose_when_the_baseline_reaches_the_target() -> None:
    suggestion = suggest_regimen(PARAMS, target_trough_g_per_l=5.0, interval_weeks=4.0, route=Route.IV)
    assert suggestion.dose_g is None and suggestion.vials is None
    assert "baseline" in suggestion.note


def test_it_gives_grams_without_vials_when_no_product_is_named() -> None:
    suggestion = suggest_regimen(PARAMS, target_trough_g_per_l=8.0, interval_weeks=4.0, route=Route.IV)
    assert suggestion.dose_g is not None and suggestion.vials is None and "product" in suggestion.note


@pytest.mark.parametrize(
    ("route", "weeks", "product", "message"),
    [
        (Route.IV, 2.0, None, "every 3 or 4 weeks"),
        (Route.SC, 4.0, None, "every 1 or 2 weeks"),
        (Route.SC, 1.0, "privigen", "not given SC"),
    ],
)
def test_it_refuses_an_interval_or_product_outside_the_labels(
    route: Route, weeks: float, product: str | None, message: str
) -> None:
    chosen = None if product is None else default_catalog().get(product)
    with pytest.raises(PkInputError, match=message):
        suggest_regimen(PARAMS, target_trough_g_per_l=8.0, interval_weeks=weeks, route=route, product=chosen)


def test_it_needs_more_for_a_faster_clearance() -> None:
    fast = PARAMS.scaled(cl=1.5)
    doses = [
        suggest_regimen(p, target_trough_g_per_l=8.0, interval_weeks=4.0, route=Route.IV).dose_g
        for p in (PARAMS, fast)
    ]
    assert doses[0] is not None and doses[1] is not None and doses[1] > doses[0]
    assert np.isfinite(doses[1])
