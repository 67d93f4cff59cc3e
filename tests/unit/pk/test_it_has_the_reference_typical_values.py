"""Typical values, allometry and covariates exactly as the reference gives them (Cheng et al. 2025)."""

from __future__ import annotations

import math

import pytest

from ivig.clinical.pk.model import Covariates, Deficiency, residual_sd_g_per_l, typical_parameters


def test_it_gives_a_half_life_of_about_28_days_and_vss_of_about_11_l() -> None:
    params = typical_parameters(Covariates(70.0))
    assert params.terminal_half_life_days == pytest.approx(28.0, abs=0.5)
    assert params.vss_l == pytest.approx(11.0, abs=0.1)
    assert (params.cl_l_per_day, params.v1_l, params.q_l_per_day, params.v2_l) == (0.308, 3.59, 1.08, 7.37)
    assert params.baseline_g_per_l == 5.67


def test_it_scales_clearances_by_weight_to_the_0_75_and_volumes_linearly() -> None:
    adult, child = typical_parameters(Covariates(70.0)), typical_parameters(Covariates(35.0))
    assert child.cl_l_per_day / adult.cl_l_per_day == pytest.approx(0.5**0.75)
    assert child.q_l_per_day / adult.q_l_per_day == pytest.approx(0.5**0.75)
    assert child.v1_l / adult.v1_l == pytest.approx(0.5)
    assert child.v2_l / adult.v2_l == pytest.approx(0.5)
    assert child.baseline_g_per_l == adult.baseline_g_per_l


def test_it_lowers_clearance_and_baseline_in_secondary_deficiency() -> None:
    primary = typical_parameters(Covariates(70.0, Deficiency.PRIMARY))
    secondary = typical_parameters(Covariates(70.0, Deficiency.SECONDARY))
    assert secondary.cl_l_per_day / primary.cl_l_per_day == pytest.approx(0.542)
    assert secondary.baseline_g_per_l / primary.baseline_g_per_l == pytest.approx(0.541)
    assert secondary.v2_l == primary.v2_l


def test_it_adjusts_the_baseline_by_igm_only_when_given() -> None:
    unknown = typical_parameters(Covariates(70.0))
    at_reference = typical_parameters(Covariates(70.0, igm_g_per_l=0.21))
    double = typical_parameters(Covariates(70.0, igm_g_per_l=0.42))
    assert unknown.baseline_g_per_l == at_reference.baseline_g_per_l == 5.67
    assert double.baseline_g_per_l == pytest.approx(5.67 * 2**0.11)
    with pytest.raises(ValueError, match="IgM"):
        Covariates(70.0, igm_g_per_l=0.0)


def test_it_combines_additive_and_proportional_residual_error() -> None:
    assert residual_sd_g_per_l(0.0) == pytest.approx(0.812)
    assert residual_sd_g_per_l(10.0) == pytest.approx(math.hypot(0.812, 1.17))
