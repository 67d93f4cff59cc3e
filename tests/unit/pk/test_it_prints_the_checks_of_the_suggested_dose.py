"""`ivig pk fit` prints the suggested dose's checks, and exits 2 when the dose breaks a hard limit."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from ivig.cli import app

from .test_it_runs_the_pk_commands import _csv

runner = CliRunner()


def _fit(tmp_path: Path, target: str, *extra: str) -> Result:
    args = ["pk", "fit", _csv(tmp_path), "--weight", "70kg", "--product", "privigen", "--interval-weeks", "3"]
    return runner.invoke(app, [*args, "--target-trough-g-per-l", target, *extra])


def test_it_lists_a_caution_for_a_dose_below_the_range(tmp_path: Path) -> None:
    result = _fit(tmp_path, "6", "--json")

    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    assert [(f["severity"], f["code"]) for f in findings] == [("caution", "pk-dose-outside-range")]
    assert "below the range for Primary immunodeficiency" in findings[0]["message"]


def test_it_prints_the_checks_next_to_the_suggestion(tmp_path: Path) -> None:
    result = _fit(tmp_path, "6")

    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "CAUTION the model's dose for a 6 g/L trough" in text and "check the fit and the levels" in text


def test_it_exits_2_when_the_suggested_dose_is_above_a_hard_limit(tmp_path: Path) -> None:
    result = _fit(tmp_path, "25", "--json")

    assert result.exit_code == 2
    codes = [f["code"] for f in json.loads(result.stdout)["findings"] if f["severity"] == "stop"]
    assert "pk-above-28-day-ceiling" in codes
    assert "the suggested dose breaks a hard limit" in result.stderr
