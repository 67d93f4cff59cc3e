"""`ivig supply forecast`: days of stock per product from an export; bad input exits 2 with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ivig.cli import app
from ivig.clinical.supply import to_export
from ivig.clinical.supply.generate import generate_history

runner = CliRunner()


@pytest.fixture(scope="module")
def export_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("supply") / "export.json"
    path.write_text(json.dumps(to_export(generate_history(patients=120, products=3, seed=2))))
    return path


def test_it_prints_days_of_stock_per_product(export_file: Path) -> None:
    result = runner.invoke(app, ["supply", "forecast", str(export_file)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    expected = (
        "Days of stock",
        "product-01",
        "product-03",
        "all products",
        "horizon 90 days (amounts in grams)",
    )
    for text in expected:
        assert text in result.output


def test_it_prints_json_for_the_horizon(export_file: Path) -> None:
    result = runner.invoke(app, ["supply", "forecast", str(export_file), "--horizon-days", "30", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["horizon_days"] == 30 and len(out["products"]) == 3
    row = out["products"][0]
    assert {"days_of_stock", "days_of_stock_low", "days_of_stock_high", "on_hand_g"} <= set(row)
    assert out["overall"]["product"] == "all products"


def test_it_explains_bad_input(export_file: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["supply", "forecast", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert "is not JSON" in runner.invoke(app, ["supply", "forecast", str(broken)]).output
    bad = json.loads(export_file.read_text())
    bad["stock"][0]["expires_on"] = "soon"
    broken.write_text(json.dumps(bad))
    result = runner.invoke(app, ["supply", "forecast", str(broken)])
    assert result.exit_code == 2 and "stock[0].expires_on: expected a date" in result.output
    horizon = runner.invoke(app, ["supply", "forecast", str(export_file), "--horizon-days", "0"])
    assert horizon.exit_code == 2 and "--horizon-days" in horizon.output
