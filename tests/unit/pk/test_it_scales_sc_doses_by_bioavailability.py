"""SC doses: first-order absorption of F x dose, F from Berger et al. 2013 or the site; ka is the site's.

The ka values here are test inputs, not clinical figures (the reference gives none).
"""

from __future__ import annotations

import numpy as np
import pytest

from ivig.clinical.catalog.model import Fact, FactStatus, Route
from ivig.clinical.pk.doses import (
    Dose,
    PkInputError,
    ScAbsorption,
    schedule_doses,
)
from ivig.clinical.pk.model import Covariates, typical_parameters
from ivig.clinical.pk.regimen import steady_state_trough_g_per_l
from ivig.clinical.pk.simulate import ParameterArrays, exogenous_at

from .helpers import START, TEST_KA_PER_DAY, WITH_KA

PARAMS = typical_parameters(Covariates(70.0))
TYPICAL = ParameterArrays.of([PARAMS])
DAYS = np.linspace(0.0, 600.0, 200_001)


def _area(product: str | None, absorption: ScAbsorption = WITH_KA) -> float:
    schedule = schedule_doses([Dose(START, 10.0, Route.SC, product=product)], absorption=absorption)
    return float(np.trapezoid(exogenous_at(TYPICAL, schedule, DAYS)[0], DAYS))


@pytest.mark.parametrize(
    ("product", "f"), [("hizentra", 0.655), ("gamunex-c", 0.650), ("gammagard-liquid", 0.672)]
)
def test_it_delivers_the_products_bioavailable_fraction(product: str, f: float) -> None:
    assert _area(product) == pytest.approx(f * 10.0 / PARAMS.cl_l_per_day, rel=1e-3)


def test_it_needs_a_site_figure_for_a_product_the_reference_does_not_cover() -> None:
    with pytest.raises(PkInputError, match="not in reference data"):
        schedule_doses([Dose(START, 10.0, Route.SC, product="cuvitru")])
    site = ScAbsorption(WITH_KA.ka_per_day, site_bioavailability=Fact(0.7, "site", FactStatus.SITE))
    assert _area("cuvitru", site) == pytest.approx(0.7 * 10.0 / PARAMS.cl_l_per_day, rel=1e-3)


def test_it_refuses_sc_doses_without_the_sites_ka() -> None:
    # No default: the reference gives no ka, so an SC prediction waits for the site's value.
    assert not ScAbsorption().has_ka
    with pytest.raises(PkInputError, match="needs the site's SC absorption rate constant ka"):
        schedule_doses([Dose(START, 10.0, Route.SC, product="hizentra")])
    iv_only = schedule_doses([Dose(START, 28.0, Route.IV, duration_h=3.0)])
    assert iv_only.count == 1
    with pytest.raises(PkInputError, match="ka must be above 0"):
        ScAbsorption(ka_per_day=Fact(0.0, "site", FactStatus.SITE))


def test_it_peaks_later_with_slower_absorption() -> None:
    days = np.linspace(0.0, 14.0, 1401)
    peaks = []
    for ka in (0.25, 1.0):
        absorption = ScAbsorption(ka_per_day=Fact(ka, "test", FactStatus.SITE))
        schedule = schedule_doses([Dose(START, 10.0, Route.SC, product="hizentra")], absorption=absorption)
        peaks.append(days[np.argmax(exogenous_at(TYPICAL, schedule, days)[0])])
    assert peaks[0] > peaks[1] > 0


def test_it_keeps_the_weekly_trough_within_2_percent_over_a_range_of_ka() -> None:
    # The weekly SC trough depends little on ka: steady-state exposure is F x dose / CL.
    troughs = [
        steady_state_trough_g_per_l(
            TYPICAL,
            dose_g=10.0,
            interval_days=7.0,
            route=Route.SC,
            product="hizentra",
            absorption=ScAbsorption(ka_per_day=Fact(ka, "test", FactStatus.SITE)),
        )[0]
        for ka in (0.25, TEST_KA_PER_DAY, 1.0)
    ]
    assert max(troughs) / troughs[1] - 1 < 0.02 and 1 - min(troughs) / troughs[1] < 0.02
