"""bench/supply.py runs end to end at tiny sizes and with an export, printing its figures (no timing)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from ivig.clinical.supply import to_export
from ivig.clinical.supply.generate import generate_history

BENCH = Path(__file__).resolve().parents[3] / "bench" / "supply.py"


def test_it_runs_the_supply_bench(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("supply_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    export = tmp_path / "demo.json"
    export.write_text(json.dumps(to_export(generate_history(patients=40, products=2, seed=3))))

    bench.main(["--patients", "60", "--products", "3", "--export", str(export)])

    out = capsys.readouterr().out
    assert "Forecast + days of stock, 60 generated patients, 3 products, 90 days" in out
    assert "target <= 1 s: PASS on wall time" in out
    assert "product-03" in out and "MAPE per product: median" in out
    assert "Export " in out and "export demo.json" in out
