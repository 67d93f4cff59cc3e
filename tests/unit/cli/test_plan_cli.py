"""`ivig plan`: JSON shape, readable table, and clear exit-2 errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ivig.cli import app

runner = CliRunner()
BASE = ["plan", "--product", "gammagard-liquid", "--indication", "pi", "--sex", "male", "--age", "40"]


def test_it_prints_the_json_plan() -> None:
    result = runner.invoke(app, [*BASE, "--weight", "70kg", "--dose-mg-per-kg", "400", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dosing_weight_kg"] == 70 and data["weight_basis"] == "actual"
    assert data["prescribed_dose_g"] == 28
    day = data["days"][0]
    assert day["volume_ml"] == 280 and {"size_g": 20.0, "count": 1} in [
        {"size_g": v["size_g"], "count": v["count"]} for v in day["vials"]
    ]
    assert set(day["steps"][0]) >= {"start_min", "duration_min", "rate_mg_per_kg_per_min", "rate_ml_per_h"}
    assert day["duration_min"] > 0
    assert all(set(w) >= {"code", "severity", "message"} for w in data["warnings"])


def test_it_reads_pounds_and_a_separate_unit() -> None:
    by_suffix = runner.invoke(app, [*BASE, "--weight", "154lb", "--dose-g-per-kg", "0.4", "--json"])
    by_option = runner.invoke(
        app, [*BASE, "--weight", "154", "--weight-unit", "lb", "--dose-g-per-kg", "0.4", "--json"]
    )
    assert json.loads(by_suffix.stdout)["dosing_weight_kg"] == pytest.approx(69.85)
    assert by_suffix.stdout == by_option.stdout


def test_it_prints_a_readable_table() -> None:
    result = runner.invoke(app, [*BASE, "--weight", "70kg", "--dose-mg-per-kg", "400"])
    assert result.exit_code == 0
    assert "Gammagard Liquid" in result.stdout and "pump mL/h" in result.stdout


def test_it_reaches_risk_factors_from_flags() -> None:
    args = ["plan", "--product", "octagam 10%", "--indication", "ITP", "--weight", "70kg", "--sex", "female"]
    result = runner.invoke(app, [*args, "--age", "50", "--thrombosis-risk", "estrogens", "--json"])
    data = json.loads(result.stdout)
    assert "risk-rate-cap" in {w["code"] for w in data["warnings"]}
    assert max(s["rate_mg_per_kg_per_min"] for s in data["days"][0]["steps"]) == 3.3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weight", "0kg"], "weight must be above 0"),
        (["--weight", "-3kg"], "weight must be above 0"),
        (["--weight", "abc"], "cannot read weight 'abc'"),
        (["--weight", "70kg", "--height", "-160cm"], "height must be"),
        (["--weight", "400kg"], "at most 350"),
        (["--weight", "70 stone"], "unknown weight unit"),
        (["--weight", "70kg", "--height", "300cm"], "height must be"),
        (["--weight", "70kg", "--product", "gamagard"], "Did you mean: Gammagard Liquid"),
        (["--weight", "70kg", "--product", "hizentra"], "not given IV"),
    ],
)
def test_it_rejects_bad_input_with_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, [*BASE, "--dose-g-per-kg", "0.4", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_it_runs_as_a_real_command() -> None:
    ivig = Path(sys.executable).with_name("ivig")
    result = subprocess.run(
        [str(ivig), *BASE, "--weight", "70kg", "--dose-mg-per-kg", "400", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert json.loads(result.stdout)["days"][0]["volume_ml"] == 280
