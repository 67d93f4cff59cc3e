"""With deterministic settings the same day gives the same plan, figure for figure."""

from __future__ import annotations

from ivig.clinical.scheduling import generate_instance, optimise
from tests.unit.scheduling.conftest import FAST, checked


def test_it_gives_the_same_plan_twice() -> None:
    instance = generate_instance(20, 7)
    first = checked(instance, optimise(instance, FAST)).to_dict()
    second = checked(instance, optimise(instance, FAST)).to_dict()
    first.pop("solve_s"), second.pop("solve_s")
    assert first == second


def test_it_generates_the_same_day_for_the_same_seed() -> None:
    assert generate_instance(30, 4) == generate_instance(30, 4)
    assert generate_instance(30, 4) != generate_instance(30, 5)
