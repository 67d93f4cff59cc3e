"""The routes benchmark (bench/routes.py) runs end to end on a small day and prints its figures, targets."""

from __future__ import annotations

from tests.drivers.bench import run_bench


def test_it_runs_the_routes_bench_on_a_small_day() -> None:
    result = run_bench("routes.py", "--visits", "10", "--nurses", "3", "--seeds", "1", "--reference-s", "1")
    assert "vs best" in result.stdout and "vs NN" in result.stdout
    assert "<= 5 s" in result.stdout and ("all targets met" in result.stdout or "MISSED" in result.stdout)
