"""The CP-SAT model of a day: starts on the slot grid, chair groups and nurse teams as capacities.

Chairs with the same features form a group; a group is a cumulative resource with one unit per chair, so
identical chairs are never told apart in the model (no symmetry) and named chairs are handed out afterwards
in start order, which always succeeds for identical chairs. Features are exact: a request chooses one
group whose chairs have all it needs. A chair named by a fixed appointment is a group of its own.

Nurses with the same shift and watching limit form a team: set-ups use one unit of a cumulative of the team's
size (a nurse sets up one patient at a time) and whole appointments one unit of a cumulative of size times
max_watching. Naming the nurse afterwards can fail where one nurse is busy setting up and another is full;
`explicit_nurses` then gives every nurse a team of her own, which is exact.

Two objectives, solved one after the other (see optimiser.py), each lexicographic through its weights.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ivig.clinical.scheduling.eligibility import Options
from ivig.clinical.scheduling.instance import Chair, Instance, Nurse
from ivig.clinical.scheduling.result import Schedule

# One unscheduled request outweighs any day length plus overtime (both below a day's minutes).
UNSCHEDULED_WEIGHT = 2 * 24 * 60 + 1


@dataclass(frozen=True, slots=True)
class ChairGroup:
    chairs: tuple[Chair, ...]


@dataclass(frozen=True, slots=True)
class NurseTeam:
    nurses: tuple[Nurse, ...]

    @property
    def start_min(self) -> int:
        return self.nurses[0].start_min

    @property
    def end_min(self) -> int:
        return self.nurses[0].end_min

    @property
    def max_watching(self) -> int:
        return self.nurses[0].max_watching


@dataclass(slots=True)
class Choice:
    """One appointment's variables."""

    options: Options
    present: cp_model.IntVar
    slot: cp_model.IntVar  # start = first start + slot x slot_min
    groups: dict[int, cp_model.IntVar]  # chair group index -> chosen
    teams: dict[int, cp_model.IntVar]  # nurse team index -> chosen

    @property
    def start(self) -> cp_model.LinearExpr:
        return self.options.first_start_min + self.options.step_min * self.slot


@dataclass(slots=True)
class DayModel:
    """The model and its two objectives: first unscheduled requests, then day length plus overtime (so
    overtime counts twice); second, minutes from the preferred starts, then the largest nurse load."""

    model: cp_model.CpModel
    groups: list[ChairGroup]
    teams: list[NurseTeam]
    choices: dict[str, Choice]
    first_objective: cp_model.LinearExprT = 0
    second_objective: cp_model.LinearExprT = 0
    second_range: int = 1  # the second objective is below this: first x range + second ranks plans


def chair_groups(instance: Instance) -> list[ChairGroup]:
    """Group identical chairs; a chair a fixed appointment names stays alone."""
    named = {a.fixed.chair for a in instance.appointments if a.fixed is not None and a.fixed.chair}
    by_features: dict[object, list[Chair]] = defaultdict(list)
    for chair in instance.chairs:
        by_features[chair.id if chair.id in named else chair.features].append(chair)
    return [ChairGroup(tuple(chairs)) for chairs in by_features.values()]


def nurse_teams(instance: Instance, *, explicit: bool) -> list[NurseTeam]:
    """Group nurses with the same shift and limit; each alone when explicit or named by a fixed one."""
    named = {a.fixed.nurse for a in instance.appointments if a.fixed is not None and a.fixed.nurse}
    by_shift: dict[object, list[Nurse]] = defaultdict(list)
    for nurse in instance.nurses:
        alone = explicit or nurse.id in named
        by_shift[nurse.id if alone else (nurse.start_min, nurse.end_min, nurse.max_watching)].append(nurse)
    return [NurseTeam(tuple(nurses)) for nurses in by_shift.values()]


def build_model(
    instance: Instance,
    placeable: Sequence[Options],
    *,
    explicit_nurses: bool = False,
    fix_starts: Mapping[str, int] | None = None,
    hint: Schedule | None = None,
) -> DayModel:
    """Build the model for the appointments that can be placed at all (the others are reported apart)."""
    model = cp_model.CpModel()
    groups = chair_groups(instance)
    teams = nurse_teams(instance, explicit=explicit_nurses)
    day = DayModel(model, groups, teams, {})
    chair_use: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    setups: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    watching: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    team_load: dict[int, list[cp_model.LinearExpr]] = defaultdict(list)
    all_chairs: list[cp_model.IntervalVar] = []
    makespan = model.new_int_var(instance.day_start_min, instance.close_min, "makespan")
    deviations: list[cp_model.IntVar] = []
    unscheduled: list[cp_model.LinearExpr] = []
    setup = instance.nurse_setup_min
    for found in placeable:
        a = found.appointment
        present = model.new_constant(1) if a.fixed is not None else model.new_bool_var(f"p_{a.id}")
        slots = (found.last_start_min - found.first_start_min) // found.step_min
        slot = model.new_int_var(0, slots, f"k_{a.id}")
        choice = Choice(found, present, slot, {}, {})
        day.choices[a.id] = choice
        start, duration = choice.start, a.duration_min
        if fix_starts is not None:
            placed = a.id in fix_starts
            model.add(present == int(placed))
            if placed:
                model.add(start == fix_starts[a.id])
        all_chairs.append(model.new_optional_fixed_size_interval_var(start, duration, present, f"c_{a.id}"))
        model.add(start + duration <= makespan).only_enforce_if(present)
        deviation = model.new_int_var(0, 24 * 60, f"d_{a.id}")
        model.add_abs_equality(deviation, start - a.preferred_start_min)
        deviations.append(deviation)
        unscheduled.append(1 - present)
        allowed = {c.id for c in found.chairs}
        for g, group in enumerate(groups):
            if all(c.id in allowed for c in group.chairs):
                choice.groups[g] = model.new_bool_var(f"g_{a.id}_{g}")
                interval = model.new_optional_fixed_size_interval_var(start, duration, choice.groups[g], "")
                chair_use[g].append(interval)
        model.add(sum(choice.groups.values()) == present)
        shifts = {n.id for n in found.nurses}
        for t, team in enumerate(teams):
            if not all(n.id in shifts for n in team.nurses):
                continue
            chosen = choice.teams[t] = model.new_bool_var(f"t_{a.id}_{t}")
            model.add(start >= team.start_min).only_enforce_if(chosen)
            model.add(start + duration <= team.end_min).only_enforce_if(chosen)
            setups[t].append(model.new_optional_fixed_size_interval_var(start, setup, chosen, ""))
            watching[t].append(model.new_optional_fixed_size_interval_var(start, duration, chosen, ""))
            team_load[t].append(duration * chosen)
        model.add(sum(choice.teams.values()) == present)
    model.add_cumulative(all_chairs, [1] * len(all_chairs), len(instance.chairs))  # redundant, propagates
    for g, intervals in chair_use.items():
        _capacity(model, intervals, len(groups[g].chairs))
    load_limit = 24 * 60 * max((n.max_watching for n in instance.nurses), default=1)
    max_load = model.new_int_var(0, load_limit, "load")
    for t, team in enumerate(teams):
        _capacity(model, setups[t], len(team.nurses))
        _capacity(model, watching[t], len(team.nurses) * team.max_watching)
        if team_load[t]:
            model.add(len(team.nurses) * max_load >= sum(team_load[t]))
    overtime = model.new_int_var(0, instance.max_overtime_min, "overtime")
    model.add(overtime >= makespan - instance.day_end_min)
    _break_symmetry(model, day)
    day.first_objective = UNSCHEDULED_WEIGHT * sum(unscheduled) + makespan - instance.day_start_min + overtime
    # One minute from a preferred start outweighs any nurse load: the second objective is lexicographic too.
    day.second_objective = (load_limit + 1) * sum(deviations) + max_load
    day.second_range = (load_limit + 1) * (24 * 60 * len(placeable) + 1)
    if hint is not None:
        _add_hint(model, day, hint)
    return day


def _capacity(model: cp_model.CpModel, intervals: list[cp_model.IntervalVar], capacity: int) -> None:
    if capacity == 1:
        model.add_no_overlap(intervals)
    elif len(intervals) > capacity:
        model.add_cumulative(intervals, [1] * len(intervals), capacity)


def _break_symmetry(model: cp_model.CpModel, day: DayModel) -> None:
    """Order the starts of free requests that are alike in every way (they are interchangeable)."""
    alike: dict[object, list[Choice]] = defaultdict(list)
    for choice in day.choices.values():
        a = choice.options.appointment
        if a.fixed is None:
            alike[(a.duration_min, a.earliest_start_min, a.preferred_start_min, a.needs)].append(choice)
    for same in alike.values():
        for first, second in itertools.pairwise(same):
            model.add(first.present >= second.present)
            model.add(first.slot <= second.slot).only_enforce_if(second.present)


def _add_hint(model: cp_model.CpModel, day: DayModel, hint: Schedule) -> None:
    """Start from a known plan (FCFS or an earlier solve)."""
    placed = {a.id: a for a in hint.assignments}
    for appointment_id, choice in day.choices.items():
        assignment = placed.get(appointment_id)
        if choice.options.appointment.fixed is None:
            model.add_hint(choice.present, assignment is not None)
        if assignment is None:
            continue
        model.add_hint(
            choice.slot, (assignment.start_min - choice.options.first_start_min) // choice.options.step_min
        )
        for g, chosen in choice.groups.items():
            model.add_hint(chosen, any(c.id == assignment.chair for c in day.groups[g].chairs))
        for t, chosen in choice.teams.items():
            model.add_hint(chosen, any(n.id == assignment.nurse for n in day.teams[t].nurses))
