"""bench/pk.py runs end to end at tiny sizes and prints both figures (a smoke test, not a timing test)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "pk.py"


def test_it_runs_the_pk_bench(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("pk_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    monkeypatch.setattr(bench, "FITS", 3)
    monkeypatch.setattr(bench, "POPULATION", 20)

    bench.main()

    out = capsys.readouterr().out
    assert "MAP fit, 3 levels, 12 months of doses: median" in out and "over 3 patients" in out
    assert "Population simulation, 20 patients x 366 days" in out
