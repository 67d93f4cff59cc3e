"""The scheduling benchmark (bench/schedule.py) runs end to end at a tiny size and prints its ratios."""

from __future__ import annotations

from tests.drivers.bench import run_bench


def test_it_runs_the_schedule_bench_at_a_tiny_size() -> None:
    result = run_bench(
        "schedule.py", "--sizes", "12", "--seeds", "1", "--time-limit", "1", "--handover-sizes", "30"
    )
    assert "fcfs" in result.stdout and "cp-sat" in result.stdout
    assert "  12: day x" in result.stdout and "targets:" in result.stdout
    assert "handover days" in result.stdout
    assert "  30: PASS left unscheduled where a handover makes it feasible: 0 of" in result.stdout
