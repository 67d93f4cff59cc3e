"""The instance and result formats carry handovers; files written before handovers read as before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest

from ivig.clinical.scheduling import (
    InstanceError,
    Segment,
    check_schedule,
    instance_to_dict,
    load_schedule,
    optimise,
    parse_instance,
    parse_schedule,
)
from tests.unit.scheduling.conftest import FAST, SHIFTS, centre, day, request

H = 60


def test_it_writes_and_reads_handover_minutes_and_fixed_segments() -> None:
    fixed = {
        "start": "11:10",
        "chair": "C1",
        "nurse": "EARLY",
        "segments": [
            {"nurse": "EARLY", "from": "11:10", "to": "15:30"},
            {"nurse": "LATE", "from": "15:15", "to": "19:10"},
        ],
    }
    instance = centre([request("LONG", 480, earliest="11:10", fixed=fixed)])
    data = instance_to_dict(instance)
    assert data["handover_minutes"] == 15
    assert parse_instance(data) == instance
    chain = instance.appointments[0].fixed.chain  # type: ignore[union-attr]
    assert chain == (Segment("EARLY", 11 * H + 10, 15 * H + 30), Segment("LATE", 15 * H + 15, 19 * H + 10))


def test_it_reads_an_instance_without_handover_minutes_as_one_nurse_per_infusion() -> None:
    instance = day([request("A", 120)])
    assert instance.handover_min is None
    assert "handover_minutes" not in instance_to_dict(instance)


def test_it_writes_segments_into_the_result_and_reads_them_back(tmp_path: Path) -> None:
    instance = centre([request("LONG", 480, earliest="11:10"), request("SHORT", 120)])
    plan = optimise(instance, FAST)
    data = plan.to_dict()
    rows = {row["id"]: row for row in cast(list[dict[str, Any]], data["assignments"])}
    assert rows["LONG"]["segments"] == [
        {"nurse": "EARLY", "from": "11:10", "to": "15:30"},
        {"nurse": "LATE", "from": "15:15", "to": "19:10"},
    ]
    assert len(rows["SHORT"]["segments"]) == 1
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    again = load_schedule(path)
    assert again.assignments == plan.assignments
    assert check_schedule(instance, again) == []


def test_it_reads_an_old_result_without_segments_as_one_nurse_each() -> None:
    old = {
        "status": "FEASIBLE",
        "method": "cp-sat",
        "assignments": [{"id": "A", "chair": "C1", "nurse": "N1", "start": "08:00", "end": "10:00"}],
        "unscheduled": [],
        "makespan_min": 120,
        "overtime_min": 0,
        "mean_deviation_min": 0,
    }
    plan = parse_schedule(old)
    assert plan.assignments[0].segments == ()
    assert plan.assignments[0].chain == (Segment("N1", 8 * H, 10 * H),)
    assert check_schedule(day([request("A", 120)]), plan) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"handover_minutes": -5}, "instance.handover_minutes: expected a whole number >= 0, got -5"),
        ({"handover_minutes": "15"}, "instance.handover_minutes: expected a whole number >= 0"),
    ],
)
def test_it_says_what_is_wrong_with_handover_minutes(change: dict[str, object], message: str) -> None:
    with pytest.raises(InstanceError, match=message):
        day([request("A", 120)], **change)


@pytest.mark.parametrize(
    ("segments", "message"),
    [
        ("EARLY", r"fixed.segments: expected a non-empty list of segments"),
        ([{"nurse": "EARLY", "from": "11:10"}], r"segments\[0\]: to is missing"),
        ([{"nurse": "EARLY", "from": "11:10", "to": "10:00"}], r"segments\[0\]: a segment must end after"),
        ([{"nurse": "EARLY", "from": "11:10", "to": "25:00"}], r"segments\[0\].to: expected a time"),
        (
            [
                {"nurse": "LATE", "from": "11:10", "to": "15:30"},
                {"nurse": "EARLY", "from": "15:15", "to": "19:10"},
            ],
            "the first segment must be the fixed nurse's",
        ),
        (
            [
                {"nurse": "EARLY", "from": "11:10", "to": "15:30"},
                {"nurse": "NOBODY", "from": "15:15", "to": "19:10"},
            ],
            "fixed segment nurse 'NOBODY' is not a nurse",
        ),
    ],
)
def test_it_says_what_is_wrong_with_fixed_segments(segments: object, message: str) -> None:
    fixed = {"start": "11:10", "nurse": "EARLY", "segments": segments}
    with pytest.raises(InstanceError, match=message):
        centre([request("LONG", 480, earliest="11:10", fixed=fixed)])


def test_it_refuses_fixed_segments_on_a_day_without_handovers() -> None:
    fixed = {
        "start": "11:10",
        "nurse": "EARLY",
        "segments": [
            {"nurse": "EARLY", "from": "11:10", "to": "15:30"},
            {"nurse": "LATE", "from": "15:15", "to": "19:10"},
        ],
    }
    with pytest.raises(InstanceError, match="no handover_minutes"):
        day([request("LONG", 480, earliest="11:10", fixed=fixed)], nurses=SHIFTS)


@pytest.mark.parametrize(
    ("result", "message"),
    [
        ([], "result: expected an object, got list"),
        ({"status": "GOOD"}, "result.status: expected one of OPTIMAL, FEASIBLE, INFEASIBLE, got 'GOOD'"),
        ({"status": "FEASIBLE", "assignments": {}}, "result.assignments: expected a list, got dict"),
        (
            {"status": "FEASIBLE", "assignments": [{"id": "A", "chair": "C1", "nurse": "N1", "start": "8"}]},
            r"assignments\[0\].start: expected a time",
        ),
        (
            {
                "status": "FEASIBLE",
                "assignments": [
                    {
                        "id": "A",
                        "chair": "C1",
                        "nurse": "N1",
                        "start": "08:00",
                        "end": "10:00",
                        "segments": [{"nurse": "N2", "from": "08:00", "to": "10:00"}],
                    }
                ],
            },
            r"assignments\[0\].segments: the first segment is N2's, not the nurse N1's",
        ),
        ({"status": "FEASIBLE", "makespan_min": "long"}, "result.makespan_min: expected a number"),
    ],
)
def test_it_says_what_is_wrong_with_a_result(result: object, message: str) -> None:
    with pytest.raises(InstanceError, match=message):
        parse_schedule(result)


def test_it_says_when_a_result_file_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InstanceError, match="is not valid JSON"):
        load_schedule(path)
