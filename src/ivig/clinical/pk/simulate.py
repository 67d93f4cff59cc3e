"""Closed-form IgG concentrations: analytic superposition of every dose for the linear model.

A unit amount in the central compartment leaves as c_a e^(-alpha t) + c_b e^(-beta t) (g/L per g). Each
dose's response is that impulse response integrated over its input (zero order over an IV infusion,
first order from an SC depot). Three evaluations of the same sums:

- `exogenous_at` / `exogenous_for`: every (time, dose) pair at once; for one patient or a few hundred
  parameter sets (`Lags` holds the time-dose distances, so a fit computes them once).
- `population_grid`: a running sum over a sorted time grid, for thousands of patients: each dose's
  after-input terms join a decaying state once, so the cost is patients x times, not x doses too.
- `steady_state`: the geometric series of an endlessly repeated dose, for trough targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ivig.clinical.pk.doses import DoseSchedule, FloatArray
from ivig.clinical.pk.model import PkParameters

# ka within this relative distance of a disposition rate uses the equal-rates limit (no 0/0).
_EQUAL_RATES = 1e-9


@dataclass(frozen=True, slots=True)
class ParameterArrays:
    """Parameters of P patients (shape (P,)), for vectorised simulation."""

    cl_l_per_day: FloatArray
    v1_l: FloatArray
    q_l_per_day: FloatArray
    v2_l: FloatArray
    baseline_g_per_l: FloatArray

    @classmethod
    def of(cls, params: Sequence[PkParameters]) -> ParameterArrays:
        def column(name: str) -> FloatArray:
            return np.array([getattr(p, name) for p in params], dtype=np.float64)

        return cls(*(column(n) for n in ("cl_l_per_day", "v1_l", "q_l_per_day", "v2_l", "baseline_g_per_l")))

    @property
    def size(self) -> int:
        return int(self.cl_l_per_day.size)


@dataclass(frozen=True, slots=True)
class Modes:
    """Disposition rates (1/day) and impulse-response coefficients (g/L per g), each shape (P, 1, 1)."""

    alpha: FloatArray
    beta: FloatArray
    c_alpha: FloatArray
    c_beta: FloatArray

    def pairs(self) -> tuple[tuple[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]:
        return (self.c_alpha, self.alpha), (self.c_beta, self.beta)


def modes_of(params: ParameterArrays) -> Modes:
    """Return alpha, beta and the central-compartment coefficients of each patient."""
    k10 = params.cl_l_per_day / params.v1_l
    k12 = params.q_l_per_day / params.v1_l
    k21 = params.q_l_per_day / params.v2_l
    total = k10 + k12 + k21
    root = np.sqrt(total * total - 4.0 * k10 * k21)
    alpha, beta = (total + root) / 2.0, (total - root) / 2.0
    spread = params.v1_l * (alpha - beta)
    shape = (-1, 1, 1)
    return Modes(
        alpha.reshape(shape),
        beta.reshape(shape),
        ((alpha - k21) / spread).reshape(shape),
        ((k21 - beta) / spread).reshape(shape),
    )


def _mean_decay(x: FloatArray) -> FloatArray:
    """Return (1 - e^-x) / x, equal to 1 at x = 0: a dose spread over an interval, averaged."""
    safe = np.where(x == 0.0, 1.0, x)
    return np.where(x == 0.0, 1.0, -np.expm1(-safe) / safe)


@dataclass(frozen=True, slots=True)
class Lags:
    """Days from each dose's start, and from the end of its input, to each time (clipped at 0): (T, D).

    They depend on the dose times only, so a fit computes them once for all its parameter trials.
    """

    schedule: DoseSchedule
    since_start: FloatArray
    since_end: FloatArray  # IV: since the infusion ended; SC: the same as since_start
    started: npt.NDArray[np.bool_]

    @classmethod
    def of(cls, schedule: DoseSchedule, times_day: FloatArray) -> Lags:
        lag = np.asarray(times_day, dtype=np.float64)[:, None] - schedule.start_day[None, :]
        return cls(
            schedule,
            np.maximum(lag, 0.0),
            np.maximum(lag - schedule.duration_day[None, :], 0.0),
            lag > 0.0,
        )


def _iv_infusions(
    coefficient: FloatArray, rate: FloatArray, amounts: FloatArray, lags: Lags, pick: npt.NDArray[np.bool_]
) -> FloatArray:
    """Return one mode's level from infusions of real duration d: per gram and exactly, for every lag,
    (e^(-r since_end) - e^(-r since_start)) / (r d) (0 before the start, rising while it runs)."""
    gap = np.exp(-rate * lags.since_end[:, pick]) - np.exp(-rate * lags.since_start[:, pick])
    per_day = amounts[..., pick] / lags.schedule.duration_day[pick]
    result: FloatArray = coefficient[:, :, 0] * (gap * per_day).sum(axis=2) / rate[:, :, 0]
    return result


def _boluses(
    coefficient: FloatArray, rate: FloatArray, amounts: FloatArray, lags: Lags, pick: npt.NDArray[np.bool_]
) -> FloatArray:
    """Return one mode's level from IV doses recorded without a duration (given at once)."""
    response = np.where(lags.started[:, pick], np.exp(-rate * lags.since_start[:, pick]), 0.0)
    result: FloatArray = coefficient[:, :, 0] * (amounts[..., pick] * response).sum(axis=2)
    return result


def _sc_response(since: FloatArray, ka: float, rate: FloatArray) -> FloatArray:
    """Return the response per bioavailable gram of one mode to SC doses given `since` days ago (>= 0)."""
    gap = ka - rate
    equal = np.abs(gap) <= _EQUAL_RATES * ka
    safe_gap = np.where(equal, 1.0, gap)
    value: FloatArray = ka / safe_gap * (np.exp(-rate * since) - np.exp(-ka * since))
    if equal.any():
        value = np.where(equal, ka * since * np.exp(-rate * since), value)
    return value


def exogenous_for(params: ParameterArrays, lags: Lags) -> FloatArray:
    """Return the infused IgG (g/L) of each patient at the times `lags` were made for: shape (P, T)."""
    schedule = lags.schedule
    modes = modes_of(params)
    amounts = np.asarray(schedule.amount_g, dtype=np.float64).reshape(-1, 1, schedule.count)
    infusions = ~schedule.sc & (schedule.duration_day > 0.0)
    boluses = ~schedule.sc & (schedule.duration_day == 0.0)
    sc = schedule.sc
    total = np.zeros((params.size, lags.since_start.shape[0]))
    for coefficient, rate in modes.pairs():
        if infusions.any():
            total += _iv_infusions(coefficient, rate, amounts, lags, infusions)
        if boluses.any():
            total += _boluses(coefficient, rate, amounts, lags, boluses)
        if sc.any():
            response = _sc_response(lags.since_start[:, sc], schedule.ka_per_day, rate)
            total += (coefficient * amounts[..., sc] * response).sum(axis=2)
    return total


def exogenous_at(params: ParameterArrays, schedule: DoseSchedule, times_day: FloatArray) -> FloatArray:
    """Return the infused IgG (g/L) of each patient at each time: shape (P, T)."""
    return exogenous_for(params, Lags.of(schedule, times_day))


def concentration_at(params: ParameterArrays, schedule: DoseSchedule, times_day: FloatArray) -> FloatArray:
    """Return total IgG (baseline + infused, g/L): shape (P, T)."""
    return params.baseline_g_per_l[:, None] + exogenous_at(params, schedule, times_day)


@dataclass(frozen=True, slots=True)
class _Terms:
    """After-input terms: coefficient x e^(-rate (t - start)) for t >= start; shapes (P, D), (P, 1), (D,)."""

    coefficient: FloatArray
    rate: FloatArray
    start_day: FloatArray


def _after_input_terms(params: ParameterArrays, schedule: DoseSchedule) -> list[_Terms]:
    """Split every dose's response after its input into exponential terms.

    IV: after the infusion ends each mode decays from c x dose x mean_decay(rate x duration). SC: each mode
    contributes c F D ka/(ka - rate) e^(-rate t), and the depot -sum of those at rate ka. Equal rates are
    nudged apart by a relative 1e-6 here (error of that order), never in `exogenous_at`.
    """
    modes = modes_of(params)
    amounts = np.broadcast_to(schedule.amount_g, (params.size, schedule.count))
    iv, sc = ~schedule.sc, schedule.sc
    ka = schedule.ka_per_day
    terms: list[_Terms] = []
    depot = np.zeros((params.size, int(sc.sum())))
    for coefficient, rate in modes.pairs():
        c, r = coefficient[:, 0, :], rate[:, 0, :]
        if iv.any():
            duration = schedule.duration_day[iv]
            terms.append(
                _Terms(c * amounts[:, iv] * _mean_decay(r * duration), r, schedule.start_day[iv] + duration)
            )
        if sc.any():
            gap = ka - r
            gap = np.where(np.abs(gap) <= 1e-6 * ka, 1e-6 * ka, gap)
            weight = c * amounts[:, sc] * ka / gap
            terms.append(_Terms(weight, r, schedule.start_day[sc]))
            depot -= weight
    if sc.any():
        terms.append(_Terms(depot, np.full((params.size, 1), ka), schedule.start_day[sc]))
    return terms


def population_grid(params: ParameterArrays, schedule: DoseSchedule, grid_day: FloatArray) -> FloatArray:
    """Return total IgG (g/L) of P patients on a sorted time grid: shape (P, T).

    Exact, like `exogenous_at`: a running sum carries each term from one grid time to the next.
    """
    grid = np.asarray(grid_day, dtype=np.float64)
    if np.any(np.diff(grid) < 0):
        raise ValueError("the grid must be sorted")
    # Time-major layout: each step reads and writes one contiguous row of P patients.
    by_time = np.zeros((grid.size, params.size))
    for term in _after_input_terms(params, schedule):
        # Terms join the state at the first grid time at or after their start.
        joins = np.searchsorted(grid, term.start_day, side="left")
        steps = np.exp(-np.diff(grid, prepend=grid[0])[:, None] * term.rate[:, 0][None, :])
        rate = term.rate[:, 0]
        state = np.zeros(params.size)
        for k in range(grid.size):
            state *= steps[k]
            for d in np.flatnonzero(joins == k):
                state += term.coefficient[:, d] * np.exp(-rate * (grid[k] - term.start_day[d]))
            by_time[k] += state
    out = np.ascontiguousarray(by_time.T)
    out += _running_infusions(params, schedule, grid)
    return out + params.baseline_g_per_l[:, None]


def _running_infusions(params: ParameterArrays, schedule: DoseSchedule, grid: FloatArray) -> FloatArray:
    """Add the grid times that fall inside an IV infusion (few: infusions last hours)."""
    out = np.zeros((params.size, grid.size))
    iv = np.flatnonzero(~schedule.sc & (schedule.duration_day > 0))
    for d in iv.tolist():
        start, end = schedule.start_day[d], schedule.start_day[d] + schedule.duration_day[d]
        inside = np.flatnonzero((grid > start) & (grid < end))
        if inside.size:
            single = _single(schedule, d)
            out[:, inside] += exogenous_at(params, single, grid[inside])
    return out


def _single(schedule: DoseSchedule, d: int) -> DoseSchedule:
    pick = slice(d, d + 1)
    return DoseSchedule(
        schedule.origin,
        schedule.start_day[pick],
        schedule.duration_day[pick],
        schedule.amount_g[..., pick],
        schedule.sc[pick],
        schedule.ka_per_day,
    )


def steady_state(
    params: ParameterArrays, one_dose: DoseSchedule, interval_day: float, times_day: FloatArray
) -> FloatArray:
    """Return total IgG (g/L) at times within one interval at steady state: shape (P, T).

    `one_dose` holds a single dose at day 0 repeated every `interval_day`. The level at t is this dose's
    response plus the geometric series of the earlier doses' after-input terms:
    sum over k >= 1 of a e^(-r (t + k tau - s)) = a e^(-r (t - s)) q / (1 - q), with q = e^(-r tau).
    """
    if one_dose.count != 1 or one_dose.start_day[0] != 0.0:
        raise ValueError("steady_state needs one dose at day 0")
    if one_dose.duration_day[0] >= interval_day:
        raise ValueError("the infusion must end before the next dose")
    times = np.asarray(times_day, dtype=np.float64)
    total = concentration_at(params, one_dose, times)
    for term in _after_input_terms(params, one_dose):
        q = np.exp(-term.rate * interval_day)
        total += term.coefficient * np.exp(-term.rate * (times[None, :] - term.start_day[0])) * q / (1.0 - q)
    return total


def terminal_half_life_days(params: ParameterArrays) -> npt.NDArray[np.float64]:
    half_lives: FloatArray = np.log(2.0) / modes_of(params).beta[:, 0, 0]
    return half_lives
