"""IV doses enter at a constant rate over their real duration; a short one behaves like a bolus."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from ivig.clinical.catalog.model import Route
from ivig.clinical.pk.doses import Dose, schedule_doses
from ivig.clinical.pk.model import Covariates, typical_parameters
from ivig.clinical.pk.regimen import steady_state_trough_g_per_l
from ivig.clinical.pk.simulate import ParameterArrays, exogenous_at

from .helpers import START

PARAMS = typical_parameters(Covariates(70.0))
TYPICAL = ParameterArrays.of([PARAMS])


def _infused(duration_h: float, days: np.ndarray) -> np.ndarray:
    schedule = schedule_doses([Dose(START, 28.0, Route.IV, duration_h)])
    return exogenous_at(TYPICAL, schedule, days)[0]


def test_it_raises_the_level_during_the_infusion_and_peaks_at_its_end() -> None:
    days = np.linspace(0.0, 8 / 24, 33)
    levels = _infused(8.0, days)
    assert levels[0] == 0.0
    assert np.all(np.diff(levels) > 0)
    after = _infused(8.0, np.array([8 / 24 + 0.01]))
    assert after[0] < levels[-1]


def test_it_approaches_a_bolus_for_a_one_minute_infusion() -> None:
    bolus_peak = 28.0 / PARAMS.v1_l  # all of the dose in the central volume
    assert _infused(1 / 60, np.array([1 / 60 / 24]))[0] == pytest.approx(bolus_peak, rel=1e-3)
    later = np.array([1.0, 7.0, 28.0])
    # The one-minute dose arrives on average 30 s later: under 0.05 % at these times.
    np.testing.assert_allclose(_infused(1 / 60, later), _infused(1e-9, later), rtol=5e-4)


def test_it_keeps_the_exposure_of_the_dose_whatever_the_duration() -> None:
    # Area under the infused curve = dose / CL for any input (linear model, mass balance).
    days = np.linspace(0.0, 600.0, 600_001)
    for duration_h in (1 / 60, 3.0, 12.0):
        area = np.trapezoid(_infused(duration_h, days), days)
        assert area == pytest.approx(28.0 / PARAMS.cl_l_per_day, rel=1e-3)


def test_it_barely_moves_the_trough_between_a_bolus_and_an_8_hour_infusion() -> None:
    bolus, slow = (
        steady_state_trough_g_per_l(TYPICAL, dose_g=28.0, interval_days=28.0, route=Route.IV, duration_h=h)[0]
        for h in (0.0, 8.0)
    )
    assert abs(slow - bolus) / bolus < 2e-3  # 0.1 %: a default duration cannot mislead a suggestion


def test_it_starts_from_the_real_dose_time() -> None:
    schedule = schedule_doses([Dose(START + timedelta(hours=12), 28.0, Route.IV, 3.0)], origin=START)
    assert exogenous_at(TYPICAL, schedule, np.array([0.49]))[0, 0] == 0.0
    assert exogenous_at(TYPICAL, schedule, np.array([0.51]))[0, 0] > 0.0
