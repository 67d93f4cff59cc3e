"""The scheduling benchmark (bench/schedule.py) runs end to end at a tiny size and prints its ratios."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_it_runs_the_schedule_bench_at_a_tiny_size() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "schedule.py"),
            "--sizes",
            "12",
            "--seeds",
            "1",
            "--time-limit",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "fcfs" in result.stdout and "cp-sat" in result.stdout
    assert "  12: day x" in result.stdout and "targets:" in result.stdout
