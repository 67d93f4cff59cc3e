"""The independent checker: each rule caught on a hand-made plan that breaks it, and a good plan passes."""

from __future__ import annotations

import dataclasses

import pytest

from ivig.clinical.scheduling import Assignment, Schedule, Status, Unscheduled, check_schedule
from ivig.clinical.scheduling.result import make_schedule
from tests.unit.scheduling.conftest import day, request

H = 60


def plan(
    instance_day: object, *rows: tuple[str, str, str, int, int], unscheduled: tuple[str, ...] = ()
) -> Schedule:
    assignments = [Assignment(i, c, n, s, e) for i, c, n, s, e in rows]
    return make_schedule(
        instance_day,  # type: ignore[arg-type]
        assignments,
        [Unscheduled(u, "test") for u in unscheduled],
        status=Status.FEASIBLE,
        method="hand",
    )


def rules(instance: object, schedule: Schedule) -> set[str]:
    return {v.rule for v in check_schedule(instance, schedule)}  # type: ignore[arg-type]


TWO = day([request("A", 120, preferred_start="09:00"), request("B", 120, needs=["bed"])])


def test_it_passes_a_good_plan() -> None:
    good = plan(TWO, ("A", "C1", "N1", 8 * H, 10 * H), ("B", "B1", "N1", 8 * H + 15, 10 * H + 15))
    assert check_schedule(TWO, good) == []


@pytest.mark.parametrize(
    ("rows", "unscheduled", "rule"),
    [
        ([("A", "C1", "N1", 480, 600)], (), "missing"),
        ([("A", "C1", "N1", 480, 600), ("B", "B1", "N2", 600, 720)], ("A",), "duplicate"),
        ([("A", "C1", "N1", 480, 600), ("B", "B1", "N2", 600, 720)], ("Z",), "unknown-appointment"),
        ([("A", "C9", "N1", 480, 600), ("B", "B1", "N2", 600, 720)], (), "unknown-resource"),
        ([("A", "C1", "N1", 480, 600), ("B", "C1", "N2", 590, 710)], (), "chair-overlap"),
        ([("A", "C1", "N1", 480, 600), ("B", "C1", "N2", 600, 720)], (), "chair-features"),
        ([("A", "C1", "N1", 480, 600), ("B", "B1", "N1", 490, 610)], (), "nurse-setup"),
        ([("A", "C1", "N2", 480, 600), ("B", "B1", "N2", 600, 720)], (), "nurse-shift"),
        ([("A", "C1", "N1", 470, 590), ("B", "B1", "N2", 600, 720)], (), "opening-hours"),
        ([("A", "C1", "N1", 480, 600), ("B", "B1", "N2", 1000, 1120)], (), "opening-hours"),
        ([("A", "C1", "N1", 482, 602), ("B", "B1", "N2", 600, 720)], (), "slot-grid"),
        ([("A", "C1", "N1", 480, 590), ("B", "B1", "N2", 600, 720)], (), "duration"),
    ],
)
def test_it_catches(
    rows: list[tuple[str, str, str, int, int]], unscheduled: tuple[str, ...], rule: str
) -> None:
    assert rule in rules(TWO, plan(TWO, *rows, unscheduled=unscheduled))


def test_it_catches_an_early_start_and_too_many_patients_for_one_nurse() -> None:
    late = day([request("A", 120, earliest="10:00"), request("B", 120)])
    assert "earliest-start" in rules(
        late, plan(late, ("A", "C1", "N1", 480, 600), ("B", "B1", "N2", 600, 720))
    )
    crowded = day(
        [request(f"A{i}", 240) for i in range(3)],
        chairs=[{"id": f"C{i}", "features": []} for i in range(3)],
        nurses=[{"id": "N1", "start": "08:00", "end": "16:30", "max_watching": 2}],
    )
    rows = [(f"A{i}", f"C{i}", "N1", 480 + 15 * i, 720 + 15 * i) for i in range(3)]
    assert rules(crowded, plan(crowded, *rows)) == {"nurse-watching"}


def test_it_catches_a_moved_fixed_appointment_and_wrong_figures() -> None:
    fixed = day(
        [request("A", 120, fixed={"start": "09:00", "chair": "C1", "nurse": "N1"}), request("B", 120)]
    )
    moved = plan(fixed, ("A", "B1", "N1", 9 * H, 11 * H), ("B", "C1", "N2", 10 * H, 12 * H))
    assert rules(fixed, moved) == {"fixed-moved"}
    kept = plan(fixed, ("A", "C1", "N1", 9 * H, 11 * H), ("B", "B1", "N2", 10 * H, 12 * H))
    assert rules(fixed, dataclasses.replace(kept, makespan_min=1, overtime_min=5)) == {"figures"}
