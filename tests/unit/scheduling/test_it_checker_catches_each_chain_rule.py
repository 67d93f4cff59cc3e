"""The checker on handovers: a good chain passes; each broken chain rule is caught on its own."""

from __future__ import annotations

import dataclasses

import pytest

from ivig.clinical.scheduling import Assignment, Instance, Schedule, Segment, Status, check_schedule
from ivig.clinical.scheduling.result import make_schedule
from tests.unit.scheduling.conftest import day, request

H = 60
START, END = 11 * H + 10, 19 * H + 10  # 480 min
NURSES = [
    {"id": "EARLY", "start": "07:30", "end": "15:30", "max_watching": 2},
    {"id": "MID", "start": "09:00", "end": "17:30", "max_watching": 4},
    {"id": "LATE", "start": "14:30", "end": "22:00", "max_watching": 1},
]
CENTRE = day(
    [request("LONG", 480, earliest="11:10")],
    nurses=NURSES,
    max_overtime_min=240,
    handover_minutes=15,
)
GOOD = (Segment("EARLY", START, 15 * H + 30), Segment("LATE", 15 * H + 15, END))


def plan(instance: Instance, *assignments: Assignment) -> Schedule:
    return make_schedule(instance, assignments, [], status=Status.FEASIBLE, method="hand")


def long(segments: tuple[Segment, ...], nurse: str = "EARLY", start: int = START) -> Assignment:
    return Assignment("LONG", "C1", nurse, start, start + 480, segments)


def rules(instance: Instance, schedule: Schedule) -> set[str]:
    return {v.rule for v in check_schedule(instance, schedule)}


def test_it_passes_a_good_chain_of_two_and_of_three() -> None:
    assert check_schedule(CENTRE, plan(CENTRE, long(GOOD))) == []
    three = (
        Segment("EARLY", START, 15 * H + 30),
        Segment("MID", 15 * H + 15, 17 * H + 30),
        Segment("LATE", 17 * H + 15, END),
    )
    assert check_schedule(CENTRE, plan(CENTRE, long(three))) == []


@pytest.mark.parametrize(
    ("segments", "rule"),
    [
        # the overlap is 30 min, not the 15-min handover
        ((Segment("EARLY", START, 15 * H + 30), Segment("LATE", 15 * H, END)), "handover-overlap"),
        # a gap: nobody watches 15:30-15:45
        ((Segment("EARLY", START, 15 * H + 30), Segment("LATE", 15 * H + 45, END)), "handover-overlap"),
        # the chain stops before the appointment ends
        ((Segment("EARLY", START, 15 * H + 30), Segment("LATE", 15 * H + 15, END - 10)), "handover-chain"),
        # the chain starts after the appointment starts
        ((Segment("EARLY", START + 5, 15 * H + 30), Segment("LATE", 15 * H + 15, END)), "handover-chain"),
        # the next nurse's segment lies inside the first one's: no progress
        ((Segment("MID", START, 17 * H + 30), Segment("LATE", 17 * H + 15, 17 * H + 20)), "handover-chain"),
        # a nurse hands over to herself
        ((Segment("EARLY", START, 13 * H), Segment("EARLY", 12 * H + 45, END)), "handover-chain"),
        # the first segment ends within the set-up (11:10-11:25) plus the handover
        ((Segment("MID", START, 11 * H + 35), Segment("LATE", 11 * H + 20, END)), "handover-during-setup"),
        # the late nurse's segment begins before her shift
        ((Segment("EARLY", START, 14 * H + 30), Segment("LATE", 14 * H + 15, END)), "nurse-shift"),
        # the early nurse's segment runs past her shift
        ((Segment("EARLY", START, 16 * H), Segment("LATE", 15 * H + 45, END)), "nurse-shift"),
        # an unknown nurse
        ((Segment("EARLY", START, 15 * H + 30), Segment("NOBODY", 15 * H + 15, END)), "unknown-resource"),
    ],
)
def test_it_catches(segments: tuple[Segment, ...], rule: str) -> None:
    nurse = segments[0].nurse
    assert rule in rules(CENTRE, plan(CENTRE, long(segments, nurse)))


def test_it_catches_a_first_segment_that_is_not_the_named_nurses() -> None:
    assert "handover-chain" in rules(CENTRE, plan(CENTRE, long(GOOD, nurse="MID")))


def test_it_catches_a_handover_on_a_day_without_handovers() -> None:
    no_handovers = dataclasses.replace(CENTRE, handover_min=None)
    assert rules(no_handovers, plan(no_handovers, long(GOOD))) == {"handover-not-allowed"}


def test_it_counts_the_overlap_against_both_nurses_watching() -> None:
    # LATE watches one patient at a time; her own patient from 15:00 to 15:20 meets the 15:15 handover.
    instance = dataclasses.replace(
        CENTRE,
        appointments=(
            *CENTRE.appointments,
            dataclasses.replace(CENTRE.appointments[0], id="OWN", duration_min=20),
        ),
    )
    own = Assignment("OWN", "B1", "LATE", 15 * H, 15 * H + 20)
    assert rules(instance, plan(instance, long(GOOD), own)) == {"nurse-watching"}
    moved = Assignment("OWN", "B1", "LATE", 14 * H + 50, 15 * H + 10)  # ends before the handover: fine
    assert rules(instance, plan(instance, long(GOOD), moved)) == set()


def test_it_catches_a_fixed_chain_that_changed() -> None:
    from ivig.clinical.scheduling import Fixed

    fixed = Fixed(START, "C1", "EARLY", GOOD)
    instance = dataclasses.replace(
        CENTRE, appointments=(dataclasses.replace(CENTRE.appointments[0], fixed=fixed),)
    )
    assert check_schedule(instance, plan(instance, long(GOOD))) == []
    other = (Segment("EARLY", START, 15 * H + 30), Segment("MID", 15 * H + 15, END))
    assert "fixed-moved" in rules(instance, plan(instance, long(other)))
