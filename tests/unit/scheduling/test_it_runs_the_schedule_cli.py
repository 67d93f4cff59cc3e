"""`ivig schedule INSTANCE.json` and `ivig schedule generate`: both spellings, JSON, clear exit-2 errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ivig.cli import app
from ivig.clinical.scheduling import Assignment, load_instance, parse_instance
from ivig.clinical.scheduling.result import Status, Unscheduled, make_schedule
from tests.unit.scheduling.conftest import checked

runner = CliRunner()
FAST = ["--time-limit", "0.3", "--deterministic"]


@pytest.fixture
def day_file(tmp_path: Path) -> Path:
    path = tmp_path / "day.json"
    result = runner.invoke(
        app, ["schedule", "generate", "--appointments", "12", "--seed", "3", "--output", str(path)]
    )
    assert result.exit_code == 0, result.output
    return path


def _plan_from_json(path: Path, text: str) -> object:
    """Rebuild the printed plan and put it through the checker."""
    data = json.loads(text)
    instance = load_instance(path)

    def minutes(hhmm: str) -> int:
        return int(hhmm[:2]) * 60 + int(hhmm[3:])

    rows = [
        Assignment(a["id"], a["chair"], a["nurse"], minutes(a["start"]), minutes(a["end"]))
        for a in data["assignments"]
    ]
    plan = make_schedule(
        instance,
        rows,
        [Unscheduled(u["id"], u["reason"]) for u in data["unscheduled"]],
        status=Status(data["status"]),
        method=data["method"],
    )
    assert (plan.makespan_min, plan.overtime_min) == (data["makespan_min"], data["overtime_min"])
    return checked(instance, plan)


def test_it_schedules_a_file_as_json(day_file: Path) -> None:
    result = runner.invoke(app, ["schedule", str(day_file), "--json", *FAST])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] in {"OPTIMAL", "FEASIBLE"} and data["method"] == "cp-sat"
    assert set(data) >= {"assignments", "unscheduled", "makespan_min", "overtime_min", "mean_deviation_min"}
    assert set(data) >= {"objective", "bound", "solve_s"}
    _plan_from_json(day_file, result.stdout)


def test_it_runs_the_fcfs_baseline_and_the_solve_spelling(day_file: Path) -> None:
    fcfs = runner.invoke(app, ["schedule", "solve", str(day_file), "--json", "--baseline", "fcfs"])
    assert fcfs.exit_code == 0, fcfs.output
    assert json.loads(fcfs.stdout)["method"] == "fcfs"
    _plan_from_json(day_file, fcfs.stdout)


def test_it_prints_a_table(day_file: Path) -> None:
    result = runner.invoke(app, ["schedule", str(day_file), *FAST])
    assert result.exit_code == 0, result.output
    assert "chair" in result.stdout and "simple lower bound" in result.stdout


def test_it_generates_a_day_on_stdout_the_same_for_a_seed() -> None:
    first = runner.invoke(app, ["schedule", "generate", "--appointments", "5", "--seed", "9"])
    second = runner.invoke(app, ["schedule", "generate", "--appointments", "5", "--seed", "9"])
    assert first.exit_code == 0 and first.stdout == second.stdout
    assert len(parse_instance(json.loads(first.stdout)).appointments) == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"date": ', "is not valid JSON"),
        ("[]", "instance: expected an object"),
        (None, "cannot read"),
    ],
)
def test_it_fails_clearly_on_a_bad_file(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    result = runner.invoke(app, ["schedule", str(path), "--json"])
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"day_start": "8:00am"}, 'instance.day_start: expected a time "HH:MM"'),
        ({"chairs": [{"id": "C1", "features": "bed"}]}, "chairs[0].features: expected a list"),
        ({"appointments": [{"id": "A1", "duration_min": "4h", "earliest_start": "08:00"}]}, "duration_min"),
        ({"nurses": {"id": "N1"}}, "instance.nurses: expected a list"),
    ],
)
def test_it_fails_clearly_on_a_bad_field(day_file: Path, change: dict[str, object], message: str) -> None:
    data = json.loads(day_file.read_text()) | change
    day_file.write_text(json.dumps(data))
    result = runner.invoke(app, ["schedule", str(day_file)])
    assert result.exit_code == 2 and message in result.stderr


def test_it_lists_a_need_no_chair_has_as_unscheduled(day_file: Path) -> None:
    data = json.loads(day_file.read_text())
    data["appointments"][0]["needs"] = ["hammock"]
    day_file.write_text(json.dumps(data))
    result = runner.invoke(app, ["schedule", str(day_file), "--json", *FAST])
    assert result.exit_code == 0, result.output
    reasons = {u["id"]: u["reason"] for u in json.loads(result.stdout)["unscheduled"]}
    assert "no chair has what it needs (hammock)" in reasons[data["appointments"][0]["id"]]
    _plan_from_json(day_file, result.stdout)


def test_it_prints_the_handover_segments(tmp_path: Path) -> None:
    from tests.unit.scheduling.conftest import SHIFTS, request

    data = {
        "date": "2026-12-01",
        "day_start": "08:00",
        "day_end": "18:00",
        "max_overtime_min": 240,
        "handover_minutes": 15,
        "chairs": [{"id": "C1", "features": []}],
        "nurses": SHIFTS,
        "appointments": [request("LONG", 480, earliest="11:10")],
    }
    path = tmp_path / "handover.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    table = runner.invoke(app, ["schedule", str(path), *FAST], terminal_width=200)
    as_json = runner.invoke(app, ["schedule", str(path), "--json", *FAST])

    assert table.exit_code == 0, table.output
    assert "EARLY until 15:30, LATE from 15:15" in table.output
    assert json.loads(as_json.stdout)["assignments"][0]["segments"] == [
        {"nurse": "EARLY", "from": "11:10", "to": "15:30"},
        {"nurse": "LATE", "from": "15:15", "to": "19:10"},
    ]


def test_it_generates_a_handover_day(tmp_path: Path) -> None:
    path = tmp_path / "day.json"
    result = runner.invoke(
        app, ["schedule", "generate", "--appointments", "40", "--handover-day", "--output", str(path)]
    )
    assert result.exit_code == 0, result.output
    instance = load_instance(path)
    assert instance.handover_min == 15 and instance.max_overtime_min == 240
