"""Benchmark IgG pharmacokinetics: MAP fit per patient, and a vectorised population simulation.

Targets (issue 9): MAP fit (3 levels, 12 months of doses) <= 10 ms median; 10,000 patients for one year
at daily resolution <= 1 s. Not a timed test. Run: .venv/bin/python bench/pk.py
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta

import numpy as np

from ivig.clinical.catalog.model import Route
from ivig.clinical.pk.doses import Dose, as_days, regimen_doses, schedule_doses
from ivig.clinical.pk.fit import Level, fit_map
from ivig.clinical.pk.model import OMEGA_BASELINE, OMEGA_CL, OMEGA_V2, Covariates, typical_parameters
from ivig.clinical.pk.simulate import ParameterArrays, concentration_at, population_grid

FITS = 200
POPULATION = 10_000
START = datetime(2025, 1, 6, 9)
OMEGAS = np.array([OMEGA_CL, OMEGA_V2, OMEGA_BASELINE])


def _year_of_doses(dose_g: float, days: int = 365) -> list[Dose]:
    """Return IV doses every 4 weeks (3-h infusions) from START."""
    until = START + timedelta(days=days)
    return regimen_doses(
        first=START, dose_g=dose_g, interval_days=28, route=Route.IV, duration_h=3, until=until
    )


def fit_times_ms(rng: np.random.Generator) -> tuple[list[float], list[float]]:
    """Return each fit's wall-clock and CPU time in ms (CPU time is what a busy machine does not inflate)."""
    times, cpu = [], []
    for _ in range(FITS):
        covariates = Covariates(float(rng.uniform(20, 90)))
        eta = rng.normal(size=3) * OMEGAS
        true = typical_parameters(covariates).scaled(
            cl=np.exp(eta[0]), v2=np.exp(eta[1]), baseline=np.exp(eta[2])
        )
        doses = _year_of_doses(round(0.4 * covariates.weight_kg))
        at = [doses[k].start - timedelta(hours=1) for k in (4, 8, 12)]
        schedule = schedule_doses(doses)
        levels = concentration_at(ParameterArrays.of([true]), schedule, as_days(at, schedule.origin))[0]
        data = [Level(t, float(v)) for t, v in zip(at, levels, strict=True)]
        begin, begin_cpu = time.perf_counter(), time.process_time()
        fit_map(covariates, doses, data)
        times.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    return times, cpu


def population_seconds(rng: np.random.Generator) -> float:
    weights = rng.uniform(20, 90, POPULATION)
    size = weights / 70.0
    eta = rng.normal(size=(POPULATION, 3)) * OMEGAS
    at_70 = typical_parameters(Covariates(70.0))  # allometry by hand, vectorised over the weights
    params = ParameterArrays(
        cl_l_per_day=at_70.cl_l_per_day * size**0.75 * np.exp(eta[:, 0]),
        v1_l=at_70.v1_l * size,
        q_l_per_day=at_70.q_l_per_day * size**0.75,
        v2_l=at_70.v2_l * size * np.exp(eta[:, 1]),
        baseline_g_per_l=at_70.baseline_g_per_l * np.exp(eta[:, 2]),
    )
    doses = _year_of_doses(1.0)
    schedule = schedule_doses(doses).scaled((0.4 * weights)[:, None])  # 0.4 g/kg for each patient
    grid = np.arange(0.0, 366.0)
    begin = time.perf_counter()
    levels = population_grid(params, schedule, grid)
    elapsed = time.perf_counter() - begin
    assert levels.shape == (POPULATION, grid.size) and np.isfinite(levels).all()
    return elapsed


def main() -> None:
    rng = np.random.default_rng(9)
    warm_up = [Level(START + timedelta(days=27), 7.0)]
    fit_map(Covariates(70.0), _year_of_doses(28.0, days=60), warm_up)  # load scipy before timing
    times, cpu = fit_times_ms(rng)
    print(
        f"MAP fit, 3 levels, 12 months of doses: median {statistics.median(times):.2f} ms, "
        f"p95 {np.percentile(times, 95):.2f} ms over {FITS} patients (target <= 10 ms median); "
        f"CPU median {statistics.median(cpu):.2f} ms"
    )
    runs = [population_seconds(rng) for _ in range(3)]
    print(
        f"Population simulation, {POPULATION:,} patients x 366 days: best {min(runs):.3f} s, "
        f"median {statistics.median(runs):.3f} s (target <= 1 s)"
    )


if __name__ == "__main__":
    main()
