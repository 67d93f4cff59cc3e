"""The fitted curve comes with a band from the Laplace posterior, and a half-life interval."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from ivig.clinical.pk.doses import PkInputError
from ivig.clinical.pk.fit import Level, fit_map, half_life_interval_days, predict_band
from ivig.clinical.pk.model import Covariates

from .helpers import START, regimen

DOSES = regimen(28.0, 28.0, days=365)
LEVELS = [
    Level(START - timedelta(days=7), 4.5),
    Level(DOSES[3].start - timedelta(hours=1), 7.0),
    Level(DOSES[8].start - timedelta(hours=1), 7.8),
    Level(DOSES[12].start - timedelta(hours=1), 8.1),
]


def test_it_brackets_the_curve_with_its_band() -> None:
    fit = fit_map(Covariates(70.0), DOSES, LEVELS)
    days = np.arange(0.0, 400.0)
    band = predict_band(fit, DOSES, days)
    assert np.all(band.lower_g_per_l <= band.predicted_g_per_l + 1e-9)
    assert np.all(band.predicted_g_per_l <= band.upper_g_per_l + 1e-9)
    assert np.all(band.upper_g_per_l - band.lower_g_per_l > 0)
    assert band.coverage == 0.9


def test_it_is_repeatable_and_predicts_near_the_levels() -> None:
    first, second = fit_map(Covariates(70.0), DOSES, LEVELS), fit_map(Covariates(70.0), DOSES, LEVELS)
    assert first == second
    assert np.max(np.abs(np.array(first.predicted_g_per_l) - np.array(first.measured_g_per_l))) < 1.5


def test_it_gives_a_half_life_interval_around_the_estimate() -> None:
    fit = fit_map(Covariates(70.0), DOSES, LEVELS)
    low, high = half_life_interval_days(fit)
    assert low < fit.half_life_days < high


def test_it_moves_toward_the_levels_from_the_typical_values() -> None:
    high_levels = [Level(lv.at, lv.conc_g_per_l + 3.0) for lv in LEVELS[1:]]
    fit = fit_map(Covariates(70.0), DOSES, high_levels)
    # Higher troughs than typical on the same doses: lower clearance or higher baseline.
    assert fit.eta[0] < 0 or fit.eta[2] > 0
    assert fit.individual.cl_l_per_day == pytest.approx(fit.typical.cl_l_per_day * np.exp(fit.eta[0]))


def test_it_needs_a_level_and_positive_values() -> None:
    with pytest.raises(PkInputError, match="at least one"):
        fit_map(Covariates(70.0), DOSES, [])
    with pytest.raises(PkInputError, match="above 0"):
        Level(START, 0.0)
