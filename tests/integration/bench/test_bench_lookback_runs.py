"""The lookback benchmark (bench/lookback.py) runs end to end at a tiny scale and prints its figures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_runs_the_lookback_bench_at_a_tiny_scale(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    database = tmp_path / "bench.sqlite3"

    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "lookback.py"),
            "--scale",
            "0.0005",
            "--queries",
            "30",
            "--http",
            "5",
            "--sqlite-path",
            str(database),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "2,000 vial dispensings" in result.stdout
    mean = re.search(r"recipients per lot \(mean\)\s+([0-9.]+)", result.stdout)
    assert mean and float(mean.group(1)) > 0, result.stdout
    for figure in ("app query layer", "plain SQL  ", "whole lookback", "on the sources", "over HTTP, p95"):
        assert figure in result.stdout, result.stdout
    assert "3,980 lot receipts" in result.stdout  # the register, made by the application's refresh
    assert not database.exists(), "the bench drops its database unless --keep"
