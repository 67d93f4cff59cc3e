"""The solver starts from a known plan that it accepts as it is, and never gives anything worse than it."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ivig.clinical.scheduling import Assignment, SolverSettings, generate_instance, optimise
from ivig.clinical.scheduling.fcfs import schedule_longest_first
from ivig.clinical.scheduling.model import add_hint, build_model, picks_of
from ivig.clinical.scheduling.optimiser import _placeable
from tests.unit.scheduling.conftest import checked, day, request


def _hint_is_a_solution(instance, assignments) -> bool:
    placeable, _ = _placeable(instance)
    model = build_model(instance, placeable)
    add_hint(model, picks_of(model, assignments))
    model.model.minimize(model.second_objective)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    return solver.solve(model.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_it_hints_alike_requests_in_the_order_the_model_wants() -> None:
    # X1 and X2 are interchangeable; the model orders their starts (symmetry), the plan has them reversed.
    instance = day([request("X1", 120), request("X2", 120)])
    reversed_plan = [
        Assignment("X1", "C1", "N1", 10 * 60, 12 * 60),
        Assignment("X2", "B1", "N1", 8 * 60, 10 * 60),
    ]
    assert _hint_is_a_solution(instance, reversed_plan)


def test_it_accepts_a_whole_list_schedule_as_its_start() -> None:
    instance = generate_instance(40, 3)
    plan = checked(instance, schedule_longest_first(instance))
    assert _hint_is_a_solution(instance, plan.assignments)


def test_it_is_never_worse_than_the_list_schedule_even_with_almost_no_time() -> None:
    instance = generate_instance(60, 2)
    start = checked(instance, schedule_longest_first(instance))
    hurried = SolverSettings(time_limit_s=0.01, seed=1, deterministic=True)
    best = checked(instance, optimise(instance, hurried))
    assert len(best.unscheduled) <= len(start.unscheduled)
    assert best.makespan_min + best.overtime_min <= start.makespan_min + start.overtime_min
