"""The lookback benchmark (bench/lookback.py) runs end to end at a tiny scale and prints its figures."""

from __future__ import annotations

import re

from tests.drivers.bench import run_bench


def test_it_runs_the_lookback_bench_at_a_tiny_scale(tmp_path):
    database = tmp_path / "bench.sqlite3"

    result = run_bench(
        "lookback.py",
        *("--scale", "0.0005", "--queries", "30", "--http", "5", "--sqlite-path", str(database)),
        timeout=300,
    )

    assert "2,000 vial dispensings" in result.stdout
    mean = re.search(r"recipients per lot \(mean\)\s+([0-9.]+)", result.stdout)
    assert mean and float(mean.group(1)) > 0, result.stdout
    for figure in ("app query layer", "plain SQL  ", "whole lookback", "on the sources", "over HTTP, p95"):
        assert figure in result.stdout, result.stdout
    assert "3,980 lot receipts" in result.stdout  # the register, made by the application's refresh
    assert not database.exists(), "the bench drops its database unless --keep"
