"""Schedule a day with CP-SAT: optimise, re-optimise around fixed appointments, insert one request.

The solve runs in two phases within the time limit: first the fewest unscheduled requests and the
shortest day plus overtime, then, keeping those, the least distance from the preferred starts and the
lightest busiest nurse. It starts from the better of two list schedules (request order and longest
first), which is also the answer if the solver finds nothing better in time, so a result is always a plan
the checker accepts and never worse than that list plan, or INFEASIBLE when the fixed appointments alone
cannot be kept. When the list plan already meets the simple lower bound the first phase is skipped. The
second phase starts from the best staffed plan at the first phase's value, moved towards the preferred
starts (improve.py).

Named chairs and nurses are handed out after the solve (see model.py), from the chosen group and team and
else from any chair and nurse the request may have; when a nurse still cannot be named, the best staffed
plan so far is given, then an exact model with every nurse apart and the same starts names them, and
failing that the exact model is solved afresh.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ivig.clinical.scheduling.eligibility import Options, options, reason_no_capacity, reason_unplaceable
from ivig.clinical.scheduling.fcfs import infeasible, schedule_fcfs, schedule_longest_first
from ivig.clinical.scheduling.improve import nearer_preferred
from ivig.clinical.scheduling.instance import Appointment, Fixed, Instance
from ivig.clinical.scheduling.ledger import Fit, Ledger
from ivig.clinical.scheduling.model import (
    DayModel,
    Pick,
    add_hint,
    build_model,
    keep_resources,
    objective_values,
    picks_of,
)
from ivig.clinical.scheduling.result import (
    Assignment,
    Schedule,
    Status,
    Unscheduled,
    lower_bound_day_min,
    make_schedule,
)

FIRST_PHASE_SHARE = 0.5  # of the time limit; the second phase gets what the first leaves
# Past the limit when the fallbacks are needed: naming nurses for fixed starts is a small feasibility problem.
NAMING_TIME_LIMIT_S = 5.0
MIN_FALLBACK_S = 1.0
NUDGE_S_PER_REQUEST = 0.004
SOLVED = (cp_model.OPTIMAL, cp_model.FEASIBLE)
# Past this many requests the second phase keeps each request's chair group and nurse team from the plan it
# starts from and moves only the starts: the smaller model finds better plans in the time (measured).
KEEP_RESOURCES_ABOVE = 60


@dataclass(frozen=True, slots=True)
class SolverSettings:
    time_limit_s: float = 10.0
    workers: int = 2
    seed: int = 1
    # Deterministic: one worker and the limit in CP-SAT's deterministic time (about seconds on one core),
    # so the same instance and settings give the same plan whatever the machine's load (for tests).
    deterministic: bool = False


@dataclass(frozen=True, slots=True)
class Picked:
    """A solution's choices: appointment id -> (start, chair group, nurse team)."""

    choices: dict[str, Pick]
    objective: float
    bound: float
    proven: bool
    named: tuple[Assignment, ...] | None = None  # the plan with chairs and nurses named, when known
    fallback: Picked | None = None  # a staffed plan to give if this one cannot be staffed by name


def optimise(instance: Instance, settings: SolverSettings | None = None) -> Schedule:
    """Return the best plan found in the time limit; fixed appointments keep their start, chair, nurse."""
    settings = settings or SolverSettings()
    started = time.perf_counter()
    baseline = min(schedule_fcfs(instance), schedule_longest_first(instance), key=_rank)
    placeable, unscheduled = _placeable(instance)
    if not placeable:
        return dataclasses.replace(baseline, solve_s=time.perf_counter() - started)
    hint = None if baseline.status is Status.INFEASIBLE else baseline
    day = build_model(instance, placeable, hint=hint)
    # Keep time for the pass towards preferred starts after the solve (measured: ~4 ms per request).
    limit_s = _left_s(settings, started) - NUDGE_S_PER_REQUEST * len(placeable)
    known = () if hint is None else hint.assignments
    picked = _two_phases(instance, day, settings, max(limit_s, MIN_FALLBACK_S), known)
    if picked == cp_model.INFEASIBLE:
        reason = "the fixed appointments cannot all be kept together"
        return dataclasses.replace(infeasible(instance, reason), method="cp-sat")
    notes: list[str] = []
    assignments = None if isinstance(picked, int) else _named(instance, day, picked)
    if assignments is None and not isinstance(picked, int) and picked.fallback is not None:
        picked = picked.fallback
        assignments = _named(instance, day, picked)
        notes.append("the solver's last plan could not be staffed by name: the best staffed one is given")
    if assignments is None and not isinstance(picked, int):
        starts = {a_id: start for a_id, (start, _, _) in picked.choices.items()}
        exact = build_model(instance, placeable, explicit_nurses=True, fix_starts=starts)
        named = _solve(exact, settings, NAMING_TIME_LIMIT_S, exact.second_objective)
        assignments = None if isinstance(named, int) else _name(instance, exact, named)
        notes.append("nurses named by the exact model for the same starts")
    if assignments is None and not isinstance(picked, int):
        exact = build_model(instance, placeable, explicit_nurses=True, hint=hint)
        limit_s = max(_left_s(settings, started), MIN_FALLBACK_S)
        picked = _two_phases(instance, exact, settings, limit_s, known)
        assignments = None if isinstance(picked, int) else _named(instance, exact, picked)
        notes = ["solved again with every nurse apart"]
    if assignments is None or isinstance(picked, int):
        note = "the solver found no plan in the time limit: the list schedule is given"
        return dataclasses.replace(baseline, notes=(note,), solve_s=time.perf_counter() - started)
    assignments = nearer_preferred(instance, assignments)
    placed = {a.id for a in assignments}
    unscheduled += [
        Unscheduled(o.appointment.id, reason_no_capacity(instance, o.appointment))
        for o in placeable
        if o.appointment.id not in placed
    ]
    best = make_schedule(
        instance,
        assignments,
        unscheduled,
        status=Status.OPTIMAL if picked.proven else Status.FEASIBLE,
        method="cp-sat",
        objective=picked.objective,
        bound=picked.bound,
        solve_s=time.perf_counter() - started,
        notes=notes,
    )
    if _rank(baseline) < _rank(best):  # the solver ran out of time before it caught up with the list plan
        note = f"the {baseline.method} list schedule was better than the solver's plan in the time limit"
        return dataclasses.replace(baseline, notes=(note,), solve_s=time.perf_counter() - started)
    return best


def insert_request(
    instance: Instance, booked: Schedule, request: Appointment, settings: SolverSettings | None = None
) -> Schedule:
    """Fit one more request into a booked day without moving, re-seating or re-staffing anyone."""
    if any(a.id == request.id for a in instance.appointments):
        raise ValueError(f"appointment {request.id!r} is already in the day")
    kept = {a.id: a for a in booked.assignments}
    fixed = tuple(
        dataclasses.replace(
            a, fixed=Fixed(kept[a.id].start_min, kept[a.id].chair, kept[a.id].nurse, kept[a.id].segments)
        )
        for a in instance.appointments
        if a.id in kept
    )
    day = dataclasses.replace(instance, appointments=(*fixed, dataclasses.replace(request, fixed=None)))
    return optimise(day, settings)


def _left_s(settings: SolverSettings, started: float) -> float:
    """Return the solver time left: the limit covers the list schedules and model building too."""
    if settings.deterministic:
        return settings.time_limit_s
    return max(settings.time_limit_s - (time.perf_counter() - started), MIN_FALLBACK_S)


def _rank(schedule: Schedule) -> tuple[bool, int, int, float]:
    infeasible_plan = schedule.status is Status.INFEASIBLE
    day_min = schedule.makespan_min + schedule.overtime_min
    return infeasible_plan, len(schedule.unscheduled), day_min, schedule.mean_deviation_min


def _placeable(instance: Instance) -> tuple[list[Options], list[Unscheduled]]:
    placeable: list[Options] = []
    unscheduled: list[Unscheduled] = []
    for appointment in instance.appointments:
        reason = reason_unplaceable(instance, appointment)
        if reason is None:
            placeable.append(options(instance, appointment))
        else:
            unscheduled.append(Unscheduled(appointment.id, reason))
    return placeable, unscheduled


def _two_phases(
    instance: Instance, day: DayModel, settings: SolverSettings, limit_s: float, known: Sequence[Assignment]
) -> Picked | int:
    """Solve the first objective, keep its value, then the second; return the picks or the CP-SAT status.

    The second phase starts from the best staffed plan at the first's value (the first's own plan or
    the known list plan) moved towards the preferred starts; that plan is the fallback if the second's
    cannot be staffed by name.
    """
    started = time.perf_counter()
    first = _at_bound(day, known) or _solve(day, settings, limit_s * FIRST_PHASE_SHARE, day.first_objective)
    if isinstance(first, int):
        return first
    day.model.add(day.first_objective <= int(first.objective))
    scale = day.second_range
    incumbent = None
    for plan in (_name(instance, day, first), known):
        if not plan:
            continue
        nudged = tuple(nearer_preferred(instance, plan))
        picks = picks_of(day, nudged)
        first_value, second_value = objective_values(day, picks)
        if first_value <= first.objective and (incumbent is None or second_value < incumbent.objective):
            incumbent = Picked(picks, second_value, 0.0, proven=False, named=nudged)
    start_from = first.choices if incumbent is None else incumbent.choices
    add_hint(day, start_from)
    if len(start_from) > KEEP_RESOURCES_ABOVE:
        keep_resources(day, start_from)
    spent_s = limit_s * FIRST_PHASE_SHARE if settings.deterministic else time.perf_counter() - started
    second = _solve(day, settings, max(limit_s - spent_s, 0.1), day.second_objective)
    fallback = None
    if incumbent is not None:
        value = first.objective * scale + incumbent.objective
        fallback = dataclasses.replace(incumbent, objective=value, bound=first.bound * scale)
    if isinstance(second, int) or (incumbent is not None and incumbent.objective <= second.objective):
        # nothing better in time: the first phase's plan (or the staffed one) stands
        return fallback or dataclasses.replace(
            first, objective=first.objective * scale, bound=first.bound * scale, proven=False
        )
    bound = first.bound * scale + (second.bound if first.proven else 0)
    return dataclasses.replace(
        second,
        objective=first.objective * scale + second.objective,
        bound=bound,
        proven=first.proven and second.proven,
        fallback=fallback,
    )


def _at_bound(day: DayModel, known: Sequence[Assignment]) -> Picked | None:
    """Return the known plan as the first phase's proven best when it schedules everyone placeable and
    its day is as short as the simple lower bound allows (nothing for the solver to improve)."""
    picks = picks_of(day, known)
    if len(picks) < len(day.choices):
        return None
    instance = day.instance
    floor_min = lower_bound_day_min(instance, [c.options.appointment for c in day.choices.values()])
    floor = floor_min + max(0, instance.day_start_min + floor_min - instance.day_end_min)
    value, _ = objective_values(day, picks)
    return Picked(picks, value, value, proven=True) if value <= floor else None


def _solve(
    day: DayModel, settings: SolverSettings, limit_s: float, objective: cp_model.LinearExprT
) -> Picked | int:
    day.model.minimize(objective)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = settings.seed
    params.num_workers = 1 if settings.deterministic else settings.workers
    if settings.deterministic:
        params.max_deterministic_time = limit_s
    else:
        params.max_time_in_seconds = limit_s
    status = solver.solve(day.model)
    if status not in SOLVED:
        return int(status)
    choices = {
        a_id: (
            solver.value(c.start),
            next(g for g, chosen in c.groups.items() if solver.value(chosen)),
            next(t for t, chosen in c.teams.items() if solver.value(chosen)),
        )
        for a_id, c in day.choices.items()
        if solver.value(c.present)
    }
    return Picked(choices, solver.objective_value, solver.best_objective_bound, status == cp_model.OPTIMAL)


def _named(instance: Instance, day: DayModel, picked: Picked) -> list[Assignment] | None:
    return list(picked.named) if picked.named is not None else _name(instance, day, picked)


def _name(instance: Instance, day: DayModel, picked: Picked) -> list[Assignment] | None:
    """Name chairs and nurses in start order, from the chosen group and team where one is free, else from
    any chair and nurse the request may have (the starts stay); None if no nurse is free for one."""
    ledger = Ledger(instance)
    for a_id, (start_min, group, index) in sorted(
        picked.choices.items(), key=lambda item: (item[1][0], item[0])
    ):
        found = day.choices[a_id].options
        appointment = found.appointment
        staffing = day.staffings[index]
        end_min = start_min + appointment.duration_min
        fit: Fit | None = None
        chair = ledger.free_chair(day.groups[group].chairs, start_min, end_min)
        if chair is not None:
            teams = [day.teams[t].nurses for t in staffing.teams]
            if len(teams) == 1:
                fit = ledger.first_fit(appointment, start_min, [chair], teams[0])
            else:
                chain = ledger.name_chain(start_min, end_min, teams, staffing.hand_at)
                fit = None if chain is None else (chair, chain)
        fit = fit or ledger.fit(found, start_min)
        if fit is None:
            return None
        ledger.book(appointment, *fit, start_min)
    return ledger.assignments
