"""MAP fit on patients simulated from known parameters (drawn from the BPV) with the model's residual error.

Patients: 200 per design, fixed seed, weight 20-90 kg, primary immunodeficiency, true CL, V2 and baseline
drawn from the reference's log-normal between-patient variability; measured levels carry the reference's
residual error (0.812 g/L additive + 11.7 % proportional; Cheng et al. 2025,
docs/reference/pharmacokinetics.md s9).

Two sampling designs, because what the levels can say about clearance depends on when they are drawn:

- Initiation year (the issue's criterion): IV 0.3-0.8 g/kg (PI label range, docs/reference/dosing.md s5) every
  3 or 4 weeks for a year; two levels before the first dose, a trough before every later infusion and one
  level mid-interval (about 30 levels). Result at this seed: 83.5 % within 25 % (seeds 1-4: 82.5-84.5 %).
- Clinic troughs: 0.4 g/kg every 4 weeks, one level before the first dose and 3-6 troughs at random months.
  Result: 53 % within 25 %, against 43.5 % for the population typical value alone.

Why the sparse design cannot reach 80 %: a level is baseline + infused IgG. The baseline varies 49 % between
patients and only levels before the first dose measure it alone; the infused IgG at trough (about 2-4 g/L)
is not much larger than one level's error (about 1.1-1.3 g/L). The expected-information bound agrees: even
weekly levels for a year at 0.4 g/kg every 4 weeks give about 78 %. The fit is at the posterior mode in both
designs (checked from several starts); the limit is the information in the levels, not the optimiser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pytest

from ivig.clinical.pk.doses import Dose, as_days, schedule_doses
from ivig.clinical.pk.fit import Level, fit_map
from ivig.clinical.pk.model import (
    OMEGA_BASELINE,
    OMEGA_CL,
    OMEGA_V2,
    Covariates,
    residual_sd_g_per_l,
    typical_parameters,
)
from ivig.clinical.pk.simulate import ParameterArrays, concentration_at

from .helpers import START, regimen

PATIENTS = 200
SEED = 20250106
WITHIN = 0.25
OMEGAS = np.array([OMEGA_CL, OMEGA_V2, OMEGA_BASELINE])

# A design draws a patient's regimen and level times: (rng, weight_kg) -> (doses, times).
Design = Callable[[np.random.Generator, float], tuple[list[Dose], list[datetime]]]


def initiation_year(rng: np.random.Generator, weight_kg: float) -> tuple[list[Dose], list[datetime]]:
    interval_days = float(rng.choice([21.0, 28.0]))
    doses = regimen(round(float(rng.uniform(0.3, 0.8)) * weight_kg), interval_days, days=365)
    before = [START - timedelta(days=14), START - timedelta(days=7)]
    troughs = [dose.start - timedelta(hours=1) for dose in doses[1:]]
    middles = [dose.start + timedelta(days=interval_days / 2) for dose in doses[:-1]]
    return doses, sorted(before + troughs + middles)


def clinic_troughs(rng: np.random.Generator, weight_kg: float) -> tuple[list[Dose], list[datetime]]:
    doses = regimen(round(0.4 * weight_kg), 28.0, days=365)
    months = np.sort(rng.choice(np.arange(1, len(doses)), size=int(rng.integers(3, 7)), replace=False))
    return doses, [START - timedelta(days=7)] + [doses[m].start - timedelta(hours=1) for m in months]


@dataclass(frozen=True)
class Recovery:
    fit_within: float  # fraction of fitted CL within 25 % of the true CL
    typical_within: float  # the same for the population typical CL (no levels)
    covered_90: float  # fraction of true CL inside the fit's 90 % interval
    fit_median_error: float  # median |log(fitted CL / true CL)|
    typical_median_error: float
    all_converged: bool


def recover(design: Design) -> Recovery:
    rng = np.random.default_rng(SEED)
    fit_hits = typical_hits = covered = 0
    fit_errors: list[float] = []
    typical_errors: list[float] = []
    converged = True
    sd = np.vectorize(residual_sd_g_per_l)
    for _ in range(PATIENTS):
        covariates = Covariates(float(rng.uniform(20.0, 90.0)))
        typical = typical_parameters(covariates)
        eta = rng.normal(size=3) * OMEGAS
        true = typical.scaled(
            cl=float(np.exp(eta[0])), v2=float(np.exp(eta[1])), baseline=float(np.exp(eta[2]))
        )
        doses, times = design(rng, covariates.weight_kg)
        schedule = schedule_doses(doses)
        exact = concentration_at(ParameterArrays.of([true]), schedule, as_days(times, schedule.origin))[0]
        measured = np.maximum(exact + rng.normal(size=exact.size) * sd(exact), 0.1)
        fit = fit_map(covariates, doses, [Level(t, float(v)) for t, v in zip(times, measured, strict=True)])
        fit_hits += abs(fit.individual.cl_l_per_day / true.cl_l_per_day - 1) <= WITHIN
        typical_hits += abs(typical.cl_l_per_day / true.cl_l_per_day - 1) <= WITHIN
        fit_errors.append(abs(np.log(fit.individual.cl_l_per_day / true.cl_l_per_day)))
        typical_errors.append(abs(eta[0]))
        covered += abs(fit.eta[0] - eta[0]) <= 1.645 * fit.eta_sd()[0]
        converged &= fit.converged
    return Recovery(
        fit_hits / PATIENTS,
        typical_hits / PATIENTS,
        covered / PATIENTS,
        float(np.median(fit_errors)),
        float(np.median(typical_errors)),
        converged,
    )


@pytest.fixture(scope="module")
def initiation() -> Recovery:
    return recover(initiation_year)


@pytest.fixture(scope="module")
def clinic() -> Recovery:
    return recover(clinic_troughs)


def test_it_recovers_clearance_within_25_percent_in_80_percent_of_patients(initiation: Recovery) -> None:
    assert initiation.all_converged
    assert initiation.fit_within >= 0.8


def test_it_recovers_clearance_from_sparse_troughs_better_than_the_population_value(clinic: Recovery) -> None:
    assert clinic.all_converged
    assert clinic.fit_within > clinic.typical_within
    assert clinic.fit_median_error < clinic.typical_median_error


@pytest.mark.parametrize("design", ["initiation", "clinic"])
def test_it_knows_its_own_uncertainty(design: str, request: pytest.FixtureRequest) -> None:
    # The Laplace 90 % interval holds the true CL about 90 % of the time: the band is honest.
    recovery: Recovery = request.getfixturevalue(design)
    assert 0.8 <= recovery.covered_90 <= 1.0
