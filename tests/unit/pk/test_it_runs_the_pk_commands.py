"""`ivig pk simulate` and `ivig pk fit`: JSON shape, tables, and clear exit-2 errors (never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ivig.cli import app

runner = CliRunner()

CSV = """event,datetime,amount,unit,route,duration_h,product
level,2024-12-30,4.1,g/L,,,
dose,2025-01-06T09:00,28,g,iv,3,
dose,2025-02-03T09:00,28,g,iv,3,
level,2025-03-03T08:00,6.9,g/L,,,
dose,2025-03-03T09:00,28,g,iv,3,
dose,2025-03-31T09:00,28,g,iv,3,
level,2025-04-28T08:00,720,mg/dL,,,
"""


def _csv(tmp_path: Path, text: str = CSV) -> str:
    path = tmp_path / "levels.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_it_simulates_a_regimen_as_json() -> None:
    args = ["pk", "simulate", "--weight", "70kg", "--dose-mg-per-kg", "400", "--duration-h", "3", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["regimen"]["dose_g"] == 28.0 and data["typical"]["half_life_days"] == pytest.approx(
        28.0, abs=0.1
    )
    assert data["levels"][0] == {"day": 0, "igg_g_per_l": 5.67}
    assert len(data["levels"]) == 365 // 7 + 1
    assert data["steady_state_trough_g_per_l"] > 5.67 and data["assumptions"] == []


KA = ["--ka-per-day", "0.8"]
SC_SIMULATE = [
    "pk",
    "simulate",
    "--weight",
    "70kg",
    "--dose-g",
    "10",
    "--route",
    "sc",
    "--product",
    "Hizentra",
]


def test_it_refuses_sc_without_the_sites_ka() -> None:
    # The reference gives no SC absorption rate: no made-up default, the command says what it needs.
    result = runner.invoke(app, [*SC_SIMULATE, "--json"])
    assert result.exit_code == 2
    assert "needs the site's SC absorption rate constant ka" in result.stderr
    assert "Traceback" not in result.output


def test_it_simulates_sc_with_the_sites_ka_and_says_so() -> None:
    result = runner.invoke(app, [*SC_SIMULATE, "--ka-per-day", "0.8", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["regimen"]["interval_weeks"] == 1.0
    assert data["assumptions"] == [
        "SC absorption rate ka = 0.8/day: the site's value (--ka-per-day); the reference gives none"
    ]


def test_it_fits_levels_and_suggests_vials(tmp_path: Path) -> None:
    args = ["pk", "fit", _csv(tmp_path), "--weight", "70kg", "--product", "privigen"]
    result = runner.invoke(app, [*args, "--target-trough-g-per-l", "8", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["individual"]) >= {"cl_l_per_day", "v2_l", "baseline_g_per_l", "half_life_days"}
    assert data["half_life_90pct_days"][0] < data["half_life_days"] < data["half_life_90pct_days"][1]
    assert [lv["measured_g_per_l"] for lv in data["levels"]] == [4.1, 6.9, 7.2]
    point = data["curve"][-1]
    assert point["lower_g_per_l"] <= point["predicted_g_per_l"] <= point["upper_g_per_l"]
    suggestion = data["suggestion"]
    assert suggestion["route"] == "iv" and suggestion["interval_weeks"] == 4.0
    assert suggestion["dispensed_g"] == sum(v["size_g"] * v["count"] for v in suggestion["vials"])


def test_it_prints_a_readable_fit(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["pk", "fit", _csv(tmp_path), "--weight", "70kg", "--route", "sc", "--product", "hizentra", *KA],
    )
    assert result.exit_code == 0, result.output
    assert "Individual estimates" in result.stdout and "SC every 1 weeks" in result.stdout
    assert "the site's value" in result.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (CSV.replace("2025-02-03T09:00,28", "2025-02-30T09:00,28"), "line 4: cannot read datetime"),
        (CSV.replace("720,mg/dL", "720,mmol/L"), "line 8: unknown IgG unit"),
        ("not,a,pk,file\n1,2,3,4\n", "missing column"),
    ],
)
def test_it_reports_bad_csv_rows_with_exit_2(tmp_path: Path, text: str, message: str) -> None:
    result = runner.invoke(app, ["pk", "fit", _csv(tmp_path, text), "--weight", "70kg"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pk", "fit", "/nonexistent/levels.csv", "--weight", "70kg"], "cannot read"),
        (["pk", "simulate", "--weight", "70kg", "--dose-g", "28"], "--duration-h"),
        (["pk", "simulate", "--weight", "70kg", "--dose-g", "10", "--route", "sc"], "bioavailability"),
        (
            ["pk", "simulate", "--weight", "0kg", "--dose-g", "10", "--duration-h", "2"],
            "weight must be above 0",
        ),
        (["pk", "simulate", "--weight", "70kg", "--duration-h", "2"], "--dose-g or --dose-mg-per-kg"),
    ],
)
def test_it_rejects_bad_input_with_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_it_refuses_an_interval_outside_the_labels(tmp_path: Path) -> None:
    result = runner.invoke(app, ["pk", "fit", _csv(tmp_path), "--weight", "70kg", "--interval-weeks", "6"])
    assert result.exit_code == 2 and "every 3 or 4 weeks" in result.stderr
