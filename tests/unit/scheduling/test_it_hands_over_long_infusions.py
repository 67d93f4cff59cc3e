"""Handover: a long infusion passes from one nurse to the next at her shift's end, with both at the chair
for the handover minutes; a request is left out only when no chain of nurses can cover it."""

from __future__ import annotations

import dataclasses

from ivig.clinical.scheduling import Appointment as Request
from ivig.clinical.scheduling import (
    Fixed,
    Segment,
    SolverSettings,
    generate_instance,
    insert_request,
    optimise,
    schedule_fcfs,
)
from tests.unit.scheduling.conftest import FAST, SHIFTS, centre, checked, request

H = 60


def test_it_hands_a_long_late_infusion_over_at_the_shift_change() -> None:
    instance = centre([request("LONG", 480, earliest="11:10")])
    for plan in (optimise(instance, FAST), schedule_fcfs(instance)):
        checked(instance, plan)
        placed = plan.assignment("LONG")
        assert (placed.start_min, placed.end_min) == (11 * H + 10, 19 * H + 10)
        assert placed.nurse == "EARLY" and placed.handed_over
        assert placed.segments == (
            Segment("EARLY", 11 * H + 10, 15 * H + 30),
            Segment("LATE", 15 * H + 15, 19 * H + 10),
        )


def test_it_keeps_one_nurse_where_her_shift_holds_the_whole_infusion() -> None:
    instance = centre([request("SHORT", 240, earliest="09:00")])
    placed = checked(instance, optimise(instance, FAST)).assignment("SHORT")
    assert not placed.handed_over and placed.chain == (
        Segment(placed.nurse, placed.start_min, placed.end_min),
    )


def test_it_leaves_it_out_without_handovers_and_says_no_shift_holds_it() -> None:
    instance = centre([request("LONG", 480, earliest="11:10")], handover_minutes=None)
    plan = checked(instance, optimise(instance, FAST))
    assert [u.id for u in plan.unscheduled] == ["LONG"]
    assert "no nurse's shift can hold 480 min" in plan.unscheduled[0].reason


def test_it_says_when_no_chain_of_nurses_can_cover_it() -> None:
    late = {"id": "LATE", "start": "16:00", "end": "22:00", "max_watching": 4}  # a gap after 15:30
    instance = centre([request("LONG", 480, earliest="11:10")], nurses=[SHIFTS[0], late])
    for plan in (optimise(instance, FAST), schedule_fcfs(instance)):
        checked(instance, plan)
        reason = plan.unscheduled[0].reason
        assert reason.startswith("no chain of nurses can cover 480 min from 11:10 (to 19:10)"), reason
        assert "the nurses on shift watch from 11:10 to 15:30 at most" in reason


def test_it_counts_the_patient_for_both_nurses_during_the_handover() -> None:
    # LATE watches one patient at a time: her own patient from 14:30 to 15:30 (set up 14:30) blocks the
    # 15:15-15:30 overlap, so the long infusion's handover cannot happen at 15:30 while she is busy.
    late = {"id": "LATE", "start": "14:30", "end": "22:00", "max_watching": 1}
    own = request("OWN", 60, earliest="14:30", fixed={"start": "14:30", "nurse": "LATE", "chair": "B1"})
    instance = centre([request("LONG", 480, earliest="11:10"), own], nurses=[SHIFTS[0], late])
    plan = checked(instance, optimise(instance, FAST))
    assert [u.id for u in plan.unscheduled] == ["LONG"]
    assert "no chair and nurse free" in plan.unscheduled[0].reason


def test_it_keeps_a_booked_chain_when_it_inserts_a_request() -> None:
    instance = centre([request("LONG", 480, earliest="11:10")])
    booked = checked(instance, optimise(instance, FAST)).assignment("LONG")
    new = Request("NEW", 120, 9 * H, 9 * H, frozenset())
    after = insert_request(instance, optimise(instance, FAST), new, FAST)
    kept = Fixed(booked.start_min, booked.chair, booked.nurse, booked.segments)
    fixed_day = centre([request("LONG", 480, earliest="11:10")])
    fixed_day = dataclasses.replace(
        fixed_day, appointments=(dataclasses.replace(fixed_day.appointments[0], fixed=kept), new)
    )
    checked(fixed_day, after)
    assert after.assignment("LONG").segments == booked.segments
    assert after.assignment("NEW").start_min == 9 * H


def test_it_schedules_every_request_of_a_generated_handover_day_in_bounded_time() -> None:
    instance = generate_instance(200, 1, handover_day=True)
    alone = dataclasses.replace(instance, handover_min=None)
    assert schedule_fcfs(alone).unscheduled  # without handovers some long infusions are left out
    plan = checked(instance, optimise(instance, SolverSettings(time_limit_s=2, deterministic=True)))
    assert plan.unscheduled == ()
    assert sum(1 for a in plan.assignments if a.handed_over) >= 5
    fcfs = checked(instance, schedule_fcfs(instance))
    assert plan.makespan_min < fcfs.makespan_min and plan.overtime_min < fcfs.overtime_min


def test_it_hands_over_as_few_times_as_the_shifts_allow() -> None:
    mid = {"id": "MID", "start": "09:00", "end": "17:30", "max_watching": 4}
    two = centre([request("LONG", 480, earliest="11:10")], nurses=[SHIFTS[0], mid, SHIFTS[1]])
    for plan in (optimise(two, FAST), schedule_fcfs(two)):
        assert len(checked(two, plan).assignment("LONG").segments) == 2
    short_shifts = [
        {"id": "EARLY", "start": "07:30", "end": "13:00", "max_watching": 4},
        {"id": "MID", "start": "12:00", "end": "17:00", "max_watching": 4},
        {"id": "LATE", "start": "16:00", "end": "22:00", "max_watching": 4},
    ]
    three = centre([request("LONG", 480, earliest="11:10")], nurses=short_shifts)
    for plan in (optimise(three, FAST), schedule_fcfs(three)):
        chain = checked(three, plan).assignment("LONG").segments
        assert [s.nurse for s in chain] == ["EARLY", "MID", "LATE"]
