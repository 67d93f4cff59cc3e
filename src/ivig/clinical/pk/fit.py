"""Bayesian MAP fit of one patient's IgG levels, with a Laplace approximation of its uncertainty.

Estimated: log-normal random effects on CL, V2 and the baseline, the three parameters the model gives
between-patient variability for; V1 and Q stay at their typical values because the model has no
variability on them (Cheng et al. 2025, docs/reference/pharmacokinetics.md s9). The objective is minus twice
the log
posterior: sum of (y - f)^2 / s^2 + ln s^2 over the levels, with s^2 = additive^2 + (proportional f)^2,
plus sum of eta^2 / omega^2. The covariance is the inverse of the expected Fisher information plus the
prior precision at the mode; sampling from it gives the band around the predicted curve.
The search runs in log space (eta), bounded at 5 prior SDs, by scipy's SLSQP from the baseline the levels
suggest; an unusual optimum is checked from the prior mean too, and the lower objective is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from ivig.clinical.pk.doses import Dose, FloatArray, PkInputError, ScAbsorption, as_days, schedule_doses
from ivig.clinical.pk.model import (
    OMEGA_BASELINE,
    OMEGA_CL,
    OMEGA_V2,
    RESIDUAL_ADDITIVE_G_PER_L,
    RESIDUAL_PROPORTIONAL,
    Covariates,
    PkParameters,
    typical_parameters,
)
from ivig.clinical.pk.simulate import (
    Lags,
    ParameterArrays,
    concentration_at,
    exogenous_for,
    terminal_half_life_days,
)

OMEGA = np.array([OMEGA_CL, OMEGA_V2, OMEGA_BASELINE])
PARAMETER_NAMES = ("cl", "v2", "baseline")
# Central differences in eta for the sensitivities of the infused IgG to CL and V2.
_STEP = 1e-4
# The optimiser searches log(parameter / typical) within this many SDs of the prior (1 in 1.7 million
# patients lies beyond): far enough never to cut off a real patient, near enough that a step cannot
# overflow the exponentials.
_ETA_LIMIT = 5.0
# SLSQP: a bounded quasi-Newton method; ftol 1e-8 on an objective of order 10 pins eta to ~1e-4.
_OPTIONS = {"ftol": 1e-8, "maxiter": 200}
# Start points: the baseline's start is kept within this many SDs of the prior; starts closer than
# _SAME_START in eta are one start.
_START_LIMIT = 3.0
_CHECK_BEYOND = 2.0
_SAME_START = 0.05
# Draws for bands (fixed seed: the same input prints the same band).
BAND_DRAWS = 400
BAND_SEED = 20250901


@dataclass(frozen=True, slots=True)
class Level:
    at: datetime
    conc_g_per_l: float

    def __post_init__(self) -> None:
        if not self.conc_g_per_l > 0:
            raise PkInputError(f"IgG level on {self.at:%Y-%m-%d} must be above 0 g/L")


@dataclass(frozen=True, slots=True)
class FitResult:
    covariates: Covariates
    typical: PkParameters
    individual: PkParameters
    eta: tuple[float, float, float]  # log(individual / typical) for CL, V2, baseline
    covariance: tuple[tuple[float, ...], ...]  # of eta (Laplace approximation)
    objective: float  # minus twice the log posterior at the mode, up to a constant
    converged: bool
    level_days: tuple[float, ...]
    measured_g_per_l: tuple[float, ...]
    predicted_g_per_l: tuple[float, ...]
    origin: datetime

    @property
    def half_life_days(self) -> float:
        return self.individual.terminal_half_life_days

    def eta_sd(self) -> tuple[float, float, float]:
        sd = np.sqrt(np.diag(np.array(self.covariance)))
        return float(sd[0]), float(sd[1]), float(sd[2])

    def sample(self, draws: int = BAND_DRAWS, seed: int = BAND_SEED) -> ParameterArrays:
        """Draw individual parameters from the approximate posterior N(eta, covariance)."""
        rng = np.random.default_rng(seed)
        etas = rng.multivariate_normal(np.array(self.eta), np.array(self.covariance), size=draws)
        return _with_etas(self.typical, etas)


def _with_etas(typical: PkParameters, etas: npt.NDArray[np.float64]) -> ParameterArrays:
    factors = np.exp(etas)
    count = etas.shape[0]
    return ParameterArrays(
        cl_l_per_day=typical.cl_l_per_day * factors[:, 0],
        v1_l=np.full(count, typical.v1_l),
        q_l_per_day=np.full(count, typical.q_l_per_day),
        v2_l=typical.v2_l * factors[:, 1],
        baseline_g_per_l=typical.baseline_g_per_l * factors[:, 2],
    )


class _Problem:
    """The objective of one fit, with its gradient and Fisher information."""

    def __init__(
        self, typical: PkParameters, doses: Sequence[Dose], levels: Sequence[Level], absorption: ScAbsorption
    ) -> None:
        self.typical = typical
        self.schedule = schedule_doses(doses, absorption=absorption)
        self.days = as_days([level.at for level in levels], self.schedule.origin)
        self.y = np.array([level.conc_g_per_l for level in levels])
        self.lags = Lags.of(self.schedule, self.days)
        # eta rows: the point, then +/- a step on CL and on V2.
        self.offsets = np.zeros((5, 3))
        self.offsets[1, 0], self.offsets[2, 0], self.offsets[3, 1], self.offsets[4, 1] = (
            _STEP,
            -_STEP,
            _STEP,
            -_STEP,
        )

    def predictions(self, eta: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Return the predicted levels and their sensitivities d f / d eta (shape (3, n))."""
        etas = eta[None, :] + self.offsets
        infused = exogenous_for(_with_etas(self.typical, etas), self.lags)
        baseline = self.typical.baseline_g_per_l * np.exp(eta[2])
        sensitivity = np.stack(
            [
                (infused[1] - infused[2]) / (2 * _STEP),
                (infused[3] - infused[4]) / (2 * _STEP),
                np.full(self.y.size, baseline),
            ]
        )
        return baseline + infused[0], sensitivity

    def starts(self) -> list[FloatArray]:
        """Return the optimiser's start points in eta: the prior mean, and the baseline the levels suggest.

        With many levels the posterior can have a second mode (a very large V2 soaking up a baseline set
        too low); starting the baseline at the mean of (level - typical infused IgG) avoids it. When the
        first optimum is unusual (beyond _CHECK_BEYOND prior SDs, or not converged) the fit also starts
        from the prior mean and keeps the lower objective.
        """
        prior_mean = np.zeros(3)
        typical_infused = self.predictions(prior_mean)[0] - self.typical.baseline_g_per_l
        suggested = float(np.mean(self.y - typical_infused)) / self.typical.baseline_g_per_l
        eta_baseline = np.log(max(suggested, 1e-3))
        bound = _START_LIMIT * OMEGA_BASELINE
        from_levels = np.array([0.0, 0.0, float(np.clip(eta_baseline, -bound, bound))])
        if abs(from_levels[2]) < _SAME_START:
            return [from_levels]
        return [from_levels, prior_mean]

    def objective(self, eta: FloatArray) -> tuple[float, FloatArray]:
        f, sensitivity = self.predictions(eta)
        variance = RESIDUAL_ADDITIVE_G_PER_L**2 + (RESIDUAL_PROPORTIONAL * f) ** 2
        residual = self.y - f
        value = float(np.sum(residual**2 / variance + np.log(variance)) + np.sum((eta / OMEGA) ** 2))
        d_variance = 2.0 * RESIDUAL_PROPORTIONAL**2 * f
        d_f = -2.0 * residual / variance + (1.0 - residual**2 / variance) * d_variance / variance
        return value, sensitivity @ d_f + 2.0 * eta / OMEGA**2

    def precision(self, eta: FloatArray) -> FloatArray:
        """Return the expected Fisher information of the levels plus the prior precision."""
        f, sensitivity = self.predictions(eta)
        variance = RESIDUAL_ADDITIVE_G_PER_L**2 + (RESIDUAL_PROPORTIONAL * f) ** 2
        d_variance = 2.0 * RESIDUAL_PROPORTIONAL**2 * f
        weight = 1.0 / variance + 0.5 * (d_variance / variance) ** 2
        info: FloatArray = (sensitivity * weight) @ sensitivity.T
        return info + np.diag(1.0 / OMEGA**2)


def fit_map(
    covariates: Covariates,
    doses: Sequence[Dose],
    levels: Sequence[Level],
    *,
    absorption: ScAbsorption | None = None,
) -> FitResult:
    """Return the patient's most probable parameters given their dose history and IgG levels."""
    from scipy.optimize import minimize  # imported here: numpy-only callers need not load scipy

    if not levels:
        raise PkInputError("the fit needs at least one IgG level")
    typical = typical_parameters(covariates)
    problem = _Problem(typical, doses, levels, absorption or ScAbsorption())
    bounds = [(-_ETA_LIMIT * omega, _ETA_LIMIT * omega) for omega in OMEGA.tolist()]
    first, *others = problem.starts()
    found = minimize(problem.objective, first, jac=True, method="SLSQP", bounds=bounds, options=_OPTIONS)
    if not found.success or np.any(np.abs(found.x) > _CHECK_BEYOND * OMEGA):
        # An unusual optimum: make sure the other start does not find a better one.
        for start in others:
            other = minimize(
                problem.objective, start, jac=True, method="SLSQP", bounds=bounds, options=_OPTIONS
            )
            if other.success and float(other.fun) < float(found.fun):
                found = other
    eta = np.asarray(found.x, dtype=np.float64)
    covariance = np.linalg.inv(problem.precision(eta))
    individual = typical.scaled(
        cl=float(np.exp(eta[0])), v2=float(np.exp(eta[1])), baseline=float(np.exp(eta[2]))
    )
    predicted, _ = problem.predictions(eta)
    return FitResult(
        covariates=covariates,
        typical=typical,
        individual=individual,
        eta=(float(eta[0]), float(eta[1]), float(eta[2])),
        covariance=tuple(tuple(float(v) for v in row) for row in covariance),
        objective=float(found.fun),
        converged=bool(found.success),
        level_days=tuple(float(d) for d in problem.days),
        measured_g_per_l=tuple(float(v) for v in problem.y),
        predicted_g_per_l=tuple(float(v) for v in predicted),
        origin=problem.schedule.origin,
    )


@dataclass(frozen=True, slots=True)
class Band:
    """The predicted curve and the central interval of the patient's true level (parameter uncertainty)."""

    days: FloatArray
    predicted_g_per_l: FloatArray
    lower_g_per_l: FloatArray
    upper_g_per_l: FloatArray
    coverage: float


def predict_band(
    fit: FitResult,
    doses: Sequence[Dose],
    days: FloatArray,
    *,
    coverage: float = 0.9,
    absorption: ScAbsorption | None = None,
) -> Band:
    """Return the individual curve at `days` (from the fit's origin) with a band from posterior draws.

    The band is the uncertainty of the patient's true level, not of a future measurement (no assay error).
    """
    if not 0 < coverage < 1:
        raise ValueError("coverage must be between 0 and 1")
    schedule = schedule_doses(doses, origin=fit.origin, absorption=absorption)
    curve = concentration_at(ParameterArrays.of([fit.individual]), schedule, days)[0]
    draws = concentration_at(fit.sample(), schedule, days)
    tail = 100.0 * (1.0 - coverage) / 2.0
    lower, upper = np.percentile(draws, [tail, 100.0 - tail], axis=0)
    return Band(days, curve, lower, upper, coverage)


def half_life_interval_days(fit: FitResult, coverage: float = 0.9) -> tuple[float, float]:
    """Return the central interval of the terminal half-life from posterior draws."""
    tail = 100.0 * (1.0 - coverage) / 2.0
    low, high = np.percentile(terminal_half_life_days(fit.sample()), [tail, 100.0 - tail])
    return float(low), float(high)
