"""Benchmark the scheduler: FCFS against the CP-SAT optimiser on generated days of 50 to 300 requests.

Per size: length of day, overtime, mean distance from the preferred start, requests left unscheduled,
solve time, and the day's distance above the simple lower bound (the larger of the latest earliest-start
plus its duration, and total chair-minutes divided by chairs). Every plan goes through the checker.

Targets (issue 8): 200 requests in <= 10 s on 2 cores; >= 20% shorter day or less overtime than FCFS with
a mean distance from the preferred start no worse than FCFS; day length within 5% of the lower bound.
Run: .venv/bin/python bench/schedule.py [--sizes 50,100,200,300] [--seeds 1,2,3] [--time-limit 10]
"""

from __future__ import annotations

import argparse
import statistics

from ivig.clinical.scheduling import (
    Schedule,
    SolverSettings,
    check_schedule,
    generate_instance,
    lower_bound_day_min,
    optimise,
    schedule_fcfs,
)


def run(size: int, seed: int, limit_s: float, workers: int) -> tuple[int, int, int, Schedule, Schedule]:
    instance = generate_instance(size, seed)
    fcfs = schedule_fcfs(instance)
    best = optimise(instance, SolverSettings(time_limit_s=limit_s, workers=workers))
    for plan in (fcfs, best):
        problems = check_schedule(instance, plan)
        assert not problems, f"{plan.method} plan for {size}/{seed} breaks rules: {problems[:3]}"
    return len(instance.chairs), len(instance.nurses), lower_bound_day_min(instance), fcfs, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200,300")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    seeds = [int(s) for s in args.seeds.split(",")]
    header = (
        f"{'size':>4} {'seed':>4} {'chairs':>6} {'nurses':>6} {'bound':>5} | {'plan':<6} {'day':>4}"
        f" {'over':>4} {'dev':>6} {'unsch':>5} {'solve s':>7} {'vs bound':>8} {'gap':>6} {'status':<8}"
    )
    print(f"time limit {args.time_limit:g} s, {args.workers} workers; minutes unless stated")
    print(header)
    print("-" * len(header))
    ratios: dict[int, list[tuple[float, float, float]]] = {}
    for size in sizes:
        for seed in seeds:
            chairs, nurses, bound, fcfs, best = run(size, seed, args.time_limit, args.workers)
            for plan in (fcfs, best):
                gap = "" if plan.gap is None else f"{plan.gap:6.1%}"
                print(
                    f"{size:>4} {seed:>4} {chairs:>6} {nurses:>6} {bound:>5} | {plan.method:<6}"
                    f" {plan.makespan_min:>4} {plan.overtime_min:>4} {plan.mean_deviation_min:>6.1f}"
                    f" {len(plan.unscheduled):>5} {plan.solve_s:>7.2f} {plan.makespan_min / bound - 1:>8.1%}"
                    f" {gap:>6} {plan.status.value:<8}"
                )
            ratios.setdefault(size, []).append(
                (
                    best.makespan_min / fcfs.makespan_min,
                    best.mean_deviation_min / max(fcfs.mean_deviation_min, 1e-9),
                    best.makespan_min / bound,
                )
            )
    print("\nper size, mean over seeds: optimiser / FCFS day, optimiser / FCFS deviation, optimiser / bound")
    for size, rows in ratios.items():
        day, deviation, bound = (statistics.mean(column) for column in zip(*rows, strict=True))
        print(
            f"{size:>4}: day x{day:.3f} ({1 - day:+.1%} shorter), deviation x{deviation:.3f},"
            f" bound x{bound:.3f}"
        )


if __name__ == "__main__":
    main()
