"""Long repeated dosing reaches the closed-form steady state (geometric series); both evaluators agree."""

from __future__ import annotations

import numpy as np
import pytest

from ivig.clinical.catalog.model import Route
from ivig.clinical.pk.doses import schedule_doses
from ivig.clinical.pk.model import Covariates, typical_parameters
from ivig.clinical.pk.simulate import ParameterArrays, concentration_at, population_grid, steady_state

from .helpers import WITH_KA, regimen

TYPICAL = ParameterArrays.of([typical_parameters(Covariates(70.0))])


@pytest.mark.parametrize(
    ("route", "dose_g", "interval_days", "product"),
    [(Route.IV, 28.0, 28.0, None), (Route.IV, 21.0, 21.0, None), (Route.SC, 10.0, 7.0, "hizentra")],
)
def test_it_reaches_the_geometric_series_steady_state(
    route: Route, dose_g: float, interval_days: float, product: str | None
) -> None:
    doses = regimen(dose_g, interval_days, days=4 * 365, route=route, product=product)
    schedule = schedule_doses(doses, absorption=WITH_KA)
    last_start = schedule.start_day[-1]
    within = np.array([0.0, 0.1, 2.0, interval_days / 2, interval_days - 1e-6])
    simulated = concentration_at(TYPICAL, schedule, last_start - interval_days + within)
    closed = steady_state(TYPICAL, schedule_doses(doses[:1], absorption=WITH_KA), interval_days, within)
    np.testing.assert_allclose(simulated, closed, rtol=1e-9)


def test_it_gives_the_same_levels_from_the_population_grid_and_per_dose_sums() -> None:
    rng = np.random.default_rng(5)
    params = ParameterArrays(
        cl_l_per_day=0.308 * np.exp(rng.normal(0, 0.4, 30)),
        v1_l=np.full(30, 3.59),
        q_l_per_day=np.full(30, 1.08),
        v2_l=7.37 * np.exp(rng.normal(0, 1.0, 30)),
        baseline_g_per_l=np.full(30, 5.67),
    )
    mixed = regimen(28.0, 28.0, days=180) + regimen(8.0, 7.0, days=180, route=Route.SC, product="gamunex-c")
    schedule = schedule_doses(mixed, absorption=WITH_KA)
    grid = np.arange(0.0, 200.0, 0.05)  # some grid times fall inside the 3-h infusions
    np.testing.assert_allclose(
        population_grid(params, schedule, grid), concentration_at(params, schedule, grid)
    )
