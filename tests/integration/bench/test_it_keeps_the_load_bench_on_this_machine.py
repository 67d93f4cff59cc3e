"""The load benchmark (bench/load.py) refuses to load any host but 127.0.0.1, and to build its data set in
the database `test` (or a system one), before it touches anything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

LOAD = Path(__file__).resolve().parents[3] / "bench" / "load.py"


@pytest.mark.parametrize(
    ("arguments", "refusal"),
    [
        (["--host", "10.0.0.7"], "only against 127.0.0.1"),
        (["--host", "localhost"], "only against 127.0.0.1"),
        (["--db", "test"], "refusing to build the load data set in database 'test'"),
        (["--db", "postgres"], "refusing to build"),
    ],
)
def test_it_refuses_other_hosts_and_databases(arguments, refusal):
    result = subprocess.run(
        [sys.executable, str(LOAD), *arguments], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 2
    assert refusal in result.stderr
    assert "building" not in result.stdout
