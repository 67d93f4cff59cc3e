"""`ivig schedule routes`, `check-routes` and `generate-home`: tables, JSON, checked results, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ivig.cli import app
from ivig.clinical.scheduling import load_route_instance, parse_route_result
from tests.unit.scheduling.home_days import checked_routes

runner = CliRunner()
FAST = ["--effort", "300"]


@pytest.fixture
def home_file(tmp_path: Path) -> Path:
    path = tmp_path / "home.json"
    args = [
        "schedule",
        "generate-home",
        "--visits",
        "12",
        "--nurses",
        "3",
        "--seed",
        "2",
        "--output",
        str(path),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return path


def test_it_plans_routes_prints_tables_and_writes_a_result_that_checks(
    home_file: Path, tmp_path: Path
) -> None:
    output = tmp_path / "routes.json"
    result = runner.invoke(app, ["schedule", "routes", str(home_file), "--output", str(output), *FAST])
    assert result.exit_code == 0, result.output
    assert "back at base" in result.stdout and "min travel" in result.stdout
    checked_routes(load_route_instance(home_file), parse_route_result(json.loads(output.read_text())))
    check = runner.invoke(app, ["schedule", "check-routes", str(home_file), str(output)])
    assert check.exit_code == 0 and "keep every rule" in check.stdout


def test_it_prints_json_and_runs_the_baseline(home_file: Path) -> None:
    result = runner.invoke(
        app, ["schedule", "routes", str(home_file), "--json", "--baseline", "nearest-neighbour"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["method"] == "nearest-neighbour" and len(data["routes"]) == 3
    checked_routes(load_route_instance(home_file), parse_route_result(data))


def test_it_reports_a_tampered_result(home_file: Path, tmp_path: Path) -> None:
    output = tmp_path / "routes.json"
    assert (
        runner.invoke(app, ["schedule", "routes", str(home_file), "--output", str(output), *FAST]).exit_code
        == 0
    )
    data = json.loads(output.read_text())
    data["total_travel_min"] += 10
    output.write_text(json.dumps(data))
    check = runner.invoke(app, ["schedule", "check-routes", str(home_file), str(output)])
    assert check.exit_code == 1 and "figures:" in check.stdout


def test_it_warns_when_a_confirmed_visit_cannot_be_kept(home_file: Path) -> None:
    data = json.loads(home_file.read_text())
    data["visits"][0] |= {"earliest_start": "08:00", "latest_start": "15:00"}
    data["visits"][0]["fixed"] = {"nurse": "N2", "start": "08:00"}  # N2's shift starts at 08:00 at her base
    home_file.write_text(json.dumps(data))
    result = runner.invoke(app, ["schedule", "routes", str(home_file), *FAST])
    assert result.exit_code == 0, result.output
    assert "Warning: V1 was confirmed with N2 but is left out" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [('{"date": ', "is not valid JSON"), ("[]", "instance: expected an object"), (None, "cannot read")],
)
def test_it_fails_clearly_on_a_bad_file(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    result = runner.invoke(app, ["schedule", "routes", str(path)])
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output
