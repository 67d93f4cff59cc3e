"""Run a benchmark script in bench/ as its own process, the way `make bench` does, at a tiny scale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]  # the repository: tests/drivers/bench.py


def run_bench(script: str, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """Run bench/<script> with `args` (DATABASE_URL unset: the bench makes its own SQLite databases);
    fails the test unless it exits 0; returns the finished process (its stdout holds the figures)."""
    env: dict[str, Any] = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result
