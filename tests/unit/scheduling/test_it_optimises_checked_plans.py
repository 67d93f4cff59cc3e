"""Generated days: both planners give plans the checker accepts; the optimiser is no worse than FCFS."""

from __future__ import annotations

import pytest

from ivig.clinical.scheduling import generate_instance, lower_bound_day_min, optimise, schedule_fcfs
from tests.unit.scheduling.conftest import FAST, checked, day, request


@pytest.mark.parametrize(("size", "seed"), [(8, 1), (15, 2), (25, 3)])
def test_it_beats_or_matches_fcfs_on_generated_days(size: int, seed: int) -> None:
    instance = generate_instance(size, seed)
    fcfs = checked(instance, schedule_fcfs(instance))
    best = checked(instance, optimise(instance, FAST))
    assert len(best.unscheduled) <= len(fcfs.unscheduled)
    if len(best.unscheduled) == len(fcfs.unscheduled):
        assert best.makespan_min + best.overtime_min <= fcfs.makespan_min + fcfs.overtime_min
    assert best.makespan_min >= lower_bound_day_min(instance) or best.unscheduled
    assert best.objective is not None and best.bound is not None and best.bound <= best.objective


def test_it_keeps_the_day_short_then_meets_preferred_starts() -> None:
    instance = day([request("LONG", 480), request("B", 120, preferred_start="11:00")])
    best = checked(instance, optimise(instance, FAST))
    assert best.status.value == "OPTIMAL" and best.makespan_min == 480
    assert best.assignment("B").start_min == 11 * 60 and best.mean_deviation_min == 0
    fcfs = checked(instance, schedule_fcfs(instance))
    assert fcfs.assignment("B").start_min == 8 * 60 + 15  # its nurse sets up LONG first
    alone = day([request("A", 240, preferred_start="09:00")])
    assert optimise(alone, FAST).assignment("A").start_min == 8 * 60  # length of day comes first


def test_it_puts_a_bed_request_on_the_bed_and_spreads_set_ups() -> None:
    instance = day([request("A", 120, needs=["bed"]), request("B", 120), request("C", 120)])
    best = checked(instance, optimise(instance, FAST))
    assert best.assignment("A").chair == "B1"
    starts = sorted(a.start_min for a in best.assignments)
    assert len(best.assignments) == 3 and starts[0] != starts[1]  # one nurse, one set-up at a time


def test_it_fcfs_books_in_request_order() -> None:
    instance = day(
        [request("A", 300), request("B", 300), request("C", 300)], chairs=[{"id": "C1", "features": []}]
    )
    fcfs = checked(instance, schedule_fcfs(instance))
    assert [a.id for a in fcfs.assignments] == ["A", "B"] and [u.id for u in fcfs.unscheduled] == ["C"]
