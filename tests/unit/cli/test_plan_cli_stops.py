"""`ivig plan` on a hard limit: the plan is still shown, each stop is named with its source, exit code 2."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import ivig.clinical.plan as core
from ivig.cli import app
from ivig.clinical.patient import Finding, GlucoseMeter, Severity

runner = CliRunner()
BASE = ["plan", "--product", "gammagard-liquid", "--indication", "pi", "--sex", "male", "--age", "40"]
PLAN = [*BASE, "--weight", "70kg", "--dose-mg-per-kg", "400"]
# A contraindication is a stop about the product, and the core reports it today.
CONTRAINDICATED = [*PLAN, "--iga-deficient-with-antibodies"]
DAILY_CEILING = Finding(
    "daily-dose-ceiling",
    Severity.STOP,
    "2.5 g/kg a day is above the 2 g/kg daily ceiling",
    "site ceiling s13",
)


@pytest.fixture
def with_a_stop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Add a STOP finding to whatever the core plans (the core's own stops arrive with the lead's checks)."""
    real = core.plan_infusion

    def planned(*args: Any, **kwargs: Any) -> core.InfusionPlan:
        plan = real(*args, **kwargs)
        return dataclasses.replace(plan, warnings=(*plan.warnings, DAILY_CEILING))

    monkeypatch.setattr(core, "plan_infusion", planned)


def test_it_exits_2_and_names_the_stop_and_its_source(with_a_stop: None) -> None:
    result = runner.invoke(app, PLAN)
    assert result.exit_code == 2
    assert "STOPPED" in result.stdout and "Gammagard Liquid" in result.stdout  # the plan is still shown
    assert result.stderr.splitlines() == [
        "Stopped: 2.5 g/kg a day is above the 2 g/kg daily ceiling (site ceiling s13)"
    ]


def test_it_prints_the_json_with_its_stops_and_exits_2(with_a_stop: None) -> None:
    result = runner.invoke(app, [*PLAN, "--json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [(s["code"], s["severity"], s["source"]) for s in data["stops"]] == [
        ("daily-dose-ceiling", "stop", "site ceiling s13")
    ]
    assert "Stopped: 2.5 g/kg a day" in result.stderr


def test_it_treats_a_contraindication_as_a_stop() -> None:
    result = runner.invoke(app, [*CONTRAINDICATED, "--json"])
    assert result.exit_code == 2
    stops = json.loads(result.stdout)["stops"]
    assert [s["code"] for s in stops] == ["iga-deficiency-anti-iga"]
    assert result.stderr.startswith("Stopped: Gammagard Liquid contains IgA")
    assert "(product labels (" in result.stderr


def test_it_exits_0_with_no_stops() -> None:
    result = runner.invoke(app, [*PLAN, "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["stops"] == []
    assert "Stopped" not in result.stderr


def test_it_keeps_the_stops_out_of_the_warnings_table(with_a_stop: None) -> None:
    result = runner.invoke(app, PLAN)
    warnings = result.stdout.split("Warnings", 1)[1]
    assert "daily-dose-ceiling" not in warnings and "trali-info" in warnings


def test_it_stops_a_real_command() -> None:
    ivig = Path(sys.executable).with_name("ivig")
    result = subprocess.run(
        [str(ivig), *CONTRAINDICATED, "--json"], capture_output=True, text=True, check=False, timeout=30
    )
    assert result.returncode == 2
    assert json.loads(result.stdout)["stops"][0]["code"] == "iga-deficiency-anti-iga"
    assert result.stderr.startswith("Stopped: ")


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> list[core.PlanRequest]:
    seen: list[core.PlanRequest] = []
    real = core.plan_infusion

    def planned(request: core.PlanRequest, **kwargs: Any) -> core.InfusionPlan:
        seen.append(request)
        return real(request, **kwargs)

    monkeypatch.setattr(core, "plan_infusion", planned)
    return seen


def test_it_passes_the_new_request_fields(requests: list[core.PlanRequest]) -> None:
    options = ["--max-rate-mg-per-kg-min", "4", "--accept-rounded-dose", "--previous-g-per-kg-28-days", "1.5"]
    result = runner.invoke(app, [*PLAN, *options, "--json"])
    assert result.exit_code == 0, result.output
    (request,) = requests
    assert request.max_rate_mg_per_kg_per_min == 4
    assert request.accept_rounded_dose is True
    assert request.previous_g_per_kg_28_days == 1.5


def test_it_leaves_the_new_fields_at_the_core_defaults(requests: list[core.PlanRequest]) -> None:
    runner.invoke(app, [*PLAN, "--json"])
    (request,) = requests
    assert request.max_rate_mg_per_kg_per_min is None and request.accept_rounded_dose is False
    assert request.previous_g_per_kg_28_days == 0.0
    assert request.patient.pre_pregnancy_weight_kg is None
    # Unknown stays unknown: a maltose product is then flagged rather than assumed safe.
    assert request.patient.glucose_meter is GlucoseMeter.UNKNOWN


@pytest.mark.parametrize(("given", "kg"), [("62kg", 62.0), ("150lb", 68.04), ("62", 62.0)])
def test_it_reads_the_pre_pregnancy_weight_with_its_unit(
    requests: list[core.PlanRequest], given: str, kg: float
) -> None:
    pregnant = ["plan", "--product", "gammagard-liquid", "--indication", "pi", "--sex", "female"]
    # Pregnancy is a thrombosis risk: without a rate cap for this order the plan would stop.
    args = [*pregnant, "--age", "30", "--weight", "75kg", "--dose-g-per-kg", "0.4", "--pregnant"]
    args += ["--max-rate-mg-per-kg-min", "3"]
    result = runner.invoke(app, [*args, "--pre-pregnancy-weight", given])
    assert result.exit_code == 0, result.output
    assert requests[0].patient.pre_pregnancy_weight_kg == pytest.approx(kg, abs=0.01)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pre-pregnancy-weight", "0kg"], "pre-pregnancy weight must be above 0"),
        (["--pre-pregnancy-weight", "heavy"], "cannot read weight 'heavy'"),
        (["--max-rate-mg-per-kg-min", "0"], "--max-rate-mg-per-kg-min must be above 0"),
        (["--previous-g-per-kg-28-days", "-1"], "Usage: ivig plan"),  # typer refuses it
    ],
)
def test_it_rejects_bad_new_options_with_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, [*PLAN, *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
