"""Re-optimising a day keeps booked and started appointments where they are."""

from __future__ import annotations

import dataclasses

from ivig.clinical.scheduling import Fixed, generate_instance, optimise
from tests.unit.scheduling.conftest import FAST, checked, day, request


def test_it_keeps_fixed_start_chair_and_nurse() -> None:
    instance = day(
        [
            request(
                "A", 240, preferred_start="08:00", fixed={"start": "10:03", "chair": "C1", "nurse": "N2"}
            ),
            request("B", 240, preferred_start="10:00"),
        ]
    )
    best = checked(instance, optimise(instance, FAST))
    a = best.assignment("A")
    assert (a.start_min, a.chair, a.nurse) == (10 * 60 + 3, "C1", "N2")  # off the slot grid: it has started
    assert best.assignment("B").chair == "B1"


def test_it_reoptimises_a_generated_day_around_half_of_it_fixed() -> None:
    instance = generate_instance(20, 11)
    first = checked(instance, optimise(instance, FAST))
    booked = {a.id: a for a in first.assignments[::2]}
    fixed = tuple(
        dataclasses.replace(r, fixed=Fixed(booked[r.id].start_min, booked[r.id].chair, None))
        if r.id in booked
        else r
        for r in instance.appointments
    )
    again_day = dataclasses.replace(instance, appointments=fixed)
    again = checked(again_day, optimise(again_day, FAST))
    for a in again.assignments:
        if a.id in booked:
            assert (a.start_min, a.chair) == (booked[a.id].start_min, booked[a.id].chair)
    assert len(again.unscheduled) <= len(first.unscheduled)
