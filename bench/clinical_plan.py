"""Benchmark the clinical core: plans per second over 10,000 random patients, and `ivig plan` cold start.

Targets (issue 3): >= 5,000 plans/s; `ivig plan` answers in under 0.5 s. Not a timed test.
Run: .venv/bin/python bench/clinical_plan.py
"""

from __future__ import annotations

import contextlib
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ivig.clinical import (
    PatientFactors,
    PlanError,
    PlanRequest,
    Route,
    Sex,
    ThrombosisRisk,
    default_catalog,
    plan_infusion,
)
from ivig.clinical.regimens import all_regimens

PATIENTS = 10_000
COLD_RUNS = 7


def _requests(rng: random.Random) -> list[PlanRequest]:
    products = [p.slug for p in default_catalog().by_route(Route.IV) if p.vial_sizes]
    regimens = [r for r, regimen in all_regimens().items() if regimen.default_option("").usual_g_per_kg]
    requests = []
    for _ in range(PATIENTS):
        patient = PatientFactors(
            age_years=rng.uniform(1, 90),
            sex=rng.choice(list(Sex)),
            weight_kg=rng.uniform(2, 200),
            height_cm=rng.uniform(60, 200),
            thrombosis_risks=frozenset(rng.sample(list(ThrombosisRisk), rng.randint(0, 2))),
            egfr_ml_per_min_per_1_73m2=rng.choice([None, rng.uniform(15, 120)]),
            first_infusion=rng.random() < 0.3,
        )
        product, regimen = rng.choice(products), rng.choice(regimens)
        requests.append(PlanRequest(product, regimen, patient, override_reason="benchmark"))
    return requests


def plans_per_second() -> float:
    requests = _requests(random.Random(3))
    plan_infusion(requests[0])  # load the catalog and regimens once, as a running service would
    start = time.perf_counter()
    for request in requests:
        with contextlib.suppress(PlanError):
            plan_infusion(request)
    return len(requests) / (time.perf_counter() - start)


def cold_start_s() -> float:
    ivig = Path(sys.executable).with_name("ivig")
    args = [str(ivig), "plan", "--product", "privigen", "--indication", "itp", "--weight", "70kg"]
    args += ["--sex", "female", "--age", "50", "--json"]
    times = []
    for _ in range(COLD_RUNS):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    print(f"plans/s over {PATIENTS} random patients: {plans_per_second():,.0f} (target >= 5,000)")
    print(f"ivig plan cold start, median of {COLD_RUNS}: {cold_start_s():.3f} s (target < 0.5 s)")
