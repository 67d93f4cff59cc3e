"""The CP-SAT model of a day: starts on the slot grid, chair groups and nurse teams as capacities.

Chairs with the same features form a group; a group is a cumulative resource with one unit per chair, so
identical chairs are never told apart in the model (no symmetry) and named chairs are handed out afterwards
in start order, which always succeeds for identical chairs. Features are exact: a request chooses one
group whose chairs have all it needs. A chair named by a fixed appointment is a group of its own.

Nurses with the same shift and watching limit form a team: set-ups use one unit of a cumulative of the team's
size (a nurse sets up one patient at a time) and whole appointments one unit of a cumulative of size times
max_watching. Naming the nurse afterwards can fail where one nurse is busy setting up and another is full;
`explicit_nurses` then gives every nurse a team of her own, which is exact.

A staffing is one team watching the whole appointment, or (handover, for the requests eligibility.py gives a
pool) a chain of teams handing over where each one's shift ends: the first team's set-up and watching run
from the start to its hand-over minute, a middle team's watching is fixed, the last one's runs from the
handover minutes before the previous hand-over minute to the end. Each segment is an interval on its team's
watching cumulative, so both nurses count the patient during the overlap.

Two objectives, solved one after the other (see optimiser.py), each lexicographic through its weights.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ivig.clinical.scheduling.eligibility import Options, shift_chains
from ivig.clinical.scheduling.instance import Chair, Instance, Nurse
from ivig.clinical.scheduling.result import Assignment, Schedule

Pick = tuple[int, int, int]  # start minute, chair group index, staffing index
MAX_CHAINS_PER_REQUEST = 40  # the fewest nurses first; the ledger tries them in the same order

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


@dataclass(frozen=True, slots=True)
class Staffing:
    """Who watches: team indices in turn, and the minutes each but the last hands over (leaves)."""

    teams: tuple[int, ...]
    hand_at: tuple[int, ...] = ()

    def segments(self, start_min: int, end_min: int, handover_min: int) -> list[tuple[int, int, int]]:
        """Return (team, from, to) for each segment of an appointment from start to end."""
        begins = [start_min, *(at - handover_min for at in self.hand_at)]
        ends = [*self.hand_at, end_min]
        return list(zip(self.teams, begins, ends, strict=True))


@dataclass(slots=True)
class Choice:
    """One appointment's variables."""

    options: Options
    present: cp_model.IntVar
    slot: cp_model.IntVar  # start = first start + slot x slot_min
    groups: dict[int, cp_model.IntVar]  # chair group index -> chosen
    teams: dict[int, cp_model.IntVar]  # staffing index (DayModel.staffings) -> chosen
    deviation: cp_model.IntVar  # minutes from the preferred start

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
    makespan: cp_model.IntVar  # the last end (minutes after midnight)
    overtime: cp_model.IntVar
    max_load: cp_model.IntVar  # the busiest team's minutes per nurse
    alike: list[list[Choice]]  # interchangeable free requests, their starts ordered (symmetry)
    instance: Instance
    staffings: list[Staffing] = dataclasses.field(default_factory=list)
    staffing_index: dict[Staffing, int] = dataclasses.field(default_factory=dict)
    first_objective: cp_model.LinearExprT = 0
    second_objective: cp_model.LinearExprT = 0
    second_range: int = 1  # the second objective is below this: first x range + second ranks plans
    deviation_weight: int = 1  # one minute from a preferred start outweighs any nurse load

    def staffing(self, staffing: Staffing) -> int:
        """Return the staffing's index, adding it when new."""
        if staffing not in self.staffing_index:
            self.staffing_index[staffing] = len(self.staffings)
            self.staffings.append(staffing)
        return self.staffing_index[staffing]


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
    named |= {s.nurse for a in instance.appointments if a.fixed is not None for s in a.fixed.chain}
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
    load_limit = 24 * 60 * max((n.max_watching for n in instance.nurses), default=1)
    makespan = model.new_int_var(instance.day_start_min, instance.close_min, "makespan")
    overtime = model.new_int_var(0, instance.max_overtime_min, "overtime")
    max_load = model.new_int_var(0, load_limit, "load")
    day = DayModel(model, groups, teams, {}, makespan, overtime, max_load, [], instance)
    chair_use: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    setups: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    watching: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    team_load: dict[int, list[cp_model.LinearExpr]] = defaultdict(list)
    all_chairs: list[cp_model.IntervalVar] = []
    deviations: list[cp_model.IntVar] = []
    unscheduled: list[cp_model.LinearExpr] = []
    setup = instance.nurse_setup_min
    for found in placeable:
        a = found.appointment
        present = model.new_constant(1) if a.fixed is not None else model.new_bool_var(f"p_{a.id}")
        slots = (found.last_start_min - found.first_start_min) // found.step_min
        slot = model.new_int_var(0, slots, f"k_{a.id}")
        deviation = model.new_int_var(0, 24 * 60, f"d_{a.id}")
        choice = Choice(found, present, slot, {}, {}, deviation)
        day.choices[a.id] = choice
        start, duration = choice.start, a.duration_min
        if fix_starts is not None:
            placed = a.id in fix_starts
            model.add(present == int(placed))
            if placed:
                model.add(start == fix_starts[a.id])
        all_chairs.append(model.new_optional_fixed_size_interval_var(start, duration, present, f"c_{a.id}"))
        model.add(start + duration <= makespan).only_enforce_if(present)
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
        fixed_chain = a.fixed.chain if a.fixed is not None else ()
        for t, team in enumerate(teams):
            if fixed_chain or not all(n.id in shifts for n in team.nurses):
                continue
            chosen = choice.teams[day.staffing(Staffing((t,)))] = model.new_bool_var(f"t_{a.id}_{t}")
            model.add(start >= team.start_min).only_enforce_if(chosen)
            model.add(start + duration <= team.end_min).only_enforce_if(chosen)
            setups[t].append(model.new_optional_fixed_size_interval_var(start, setup, chosen, ""))
            watching[t].append(model.new_optional_fixed_size_interval_var(start, duration, chosen, ""))
            team_load[t].append(duration * chosen)
        for staffing in _chains(instance, teams, found):
            chosen = choice.teams[day.staffing(staffing)] = model.new_bool_var(
                f"h_{a.id}_{len(choice.teams)}"
            )
            _add_chain(model, instance, teams, staffing, choice, chosen, setups, watching, team_load)
        model.add(sum(choice.teams.values()) == present)
    model.add_cumulative(all_chairs, [1] * len(all_chairs), len(instance.chairs))  # redundant, propagates
    for g, intervals in chair_use.items():
        _capacity(model, intervals, len(groups[g].chairs))
    for t, team in enumerate(teams):
        _capacity(model, setups[t], len(team.nurses))
        _capacity(model, watching[t], len(team.nurses) * team.max_watching)
        if team_load[t]:
            model.add(len(team.nurses) * max_load >= sum(team_load[t]))
    model.add(overtime >= makespan - instance.day_end_min)
    # Redundant, for the bound: the chairs hold every booked chair-minute between opening and the last end.
    model.add(
        len(instance.chairs) * (makespan - instance.day_start_min)
        >= sum(c.options.appointment.duration_min * c.present for c in day.choices.values())
    )
    _break_symmetry(model, day)
    day.first_objective = UNSCHEDULED_WEIGHT * sum(unscheduled) + makespan - instance.day_start_min + overtime
    # One minute from a preferred start outweighs any nurse load: the second objective is lexicographic too.
    day.deviation_weight = load_limit + 1
    day.second_objective = day.deviation_weight * sum(deviations) + max_load
    day.second_range = (load_limit + 1) * (24 * 60 * len(placeable) + 1)
    if hint is not None:
        add_hint(day, picks_of(day, hint.assignments))
    return day


def _chains(instance: Instance, teams: Sequence[NurseTeam], found: Options) -> list[Staffing]:
    """Return the chains of teams this request may have: its fixed chain, or every chain of pool teams
    that holds some start of its window (handing over where shifts end), the fewest nurses first."""
    fixed = found.appointment.fixed
    team_of = {n.id: t for t, team in enumerate(teams) for n in team.nurses}
    if fixed is not None and fixed.chain:
        return [
            Staffing(tuple(team_of[s.nurse] for s in fixed.chain), tuple(s.end_min for s in fixed.chain[:-1]))
        ]
    if not found.pool:
        return []
    pool = {n.id for n in found.pool}
    usable = [t for t, team in enumerate(teams) if all(n.id in pool for n in team.nurses)]
    handover = instance.handover_min or 0
    chains: dict[Staffing, None] = {}
    for start_min in found.starts:
        end_min = start_min + found.appointment.duration_min
        for chain in shift_chains(
            [teams[t] for t in usable], start_min, end_min, instance.nurse_setup_min, handover
        ):
            indices = tuple(teams.index(team) for team in chain)
            chains[Staffing(indices, tuple(team.end_min for team in chain[:-1]))] = None
    return sorted(chains, key=lambda c: len(c.teams))[:MAX_CHAINS_PER_REQUEST]


def _add_chain(
    model: cp_model.CpModel,
    instance: Instance,
    teams: Sequence[NurseTeam],
    staffing: Staffing,
    choice: Choice,
    chosen: cp_model.IntVar,
    setups: dict[int, list[cp_model.IntervalVar]],
    watching: dict[int, list[cp_model.IntervalVar]],
    team_load: dict[int, list[cp_model.LinearExpr]],
) -> None:
    """Add one chain of teams: the first sets up and watches to its hand-over, the next ones follow."""
    handover, duration = instance.handover_min or 0, choice.options.appointment.duration_min
    start = choice.start
    end = start + duration
    first, last = staffing.teams[0], staffing.teams[-1]
    model.add(start >= teams[first].start_min).only_enforce_if(chosen)
    model.add(start + instance.nurse_setup_min <= staffing.hand_at[0] - handover).only_enforce_if(chosen)
    model.add(end > staffing.hand_at[-1]).only_enforce_if(chosen)
    model.add(end <= teams[last].end_min).only_enforce_if(chosen)
    setups[first].append(
        model.new_optional_fixed_size_interval_var(start, instance.nurse_setup_min, chosen, "")
    )
    for i, team in enumerate(staffing.teams):
        begin = start if i == 0 else staffing.hand_at[i - 1] - handover
        until = end if i == len(staffing.teams) - 1 else staffing.hand_at[i]
        length = model.new_int_var(0, duration, "")
        model.add(length == until - begin).only_enforce_if(chosen)
        model.add(length == 0).only_enforce_if(~chosen)
        watching[team].append(model.new_optional_interval_var(begin, length, until, chosen, ""))
        team_load[team].append(length)


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
    day.alike = [same for same in alike.values() if len(same) > 1]
    for same in day.alike:
        for first, second in itertools.pairwise(same):
            model.add(first.present >= second.present)
            model.add(first.slot <= second.slot).only_enforce_if(second.present)


def picks_of(day: DayModel, assignments: Sequence[Assignment]) -> dict[str, Pick]:
    """Return a plan's choices in the model's terms: id -> (start, chair group, nurse team)."""
    group_of = {c.id: g for g, group in enumerate(day.groups) for c in group.chairs}
    team_of = {n.id: t for t, team in enumerate(day.teams) for n in team.nurses}
    picks = {}
    for a in assignments:
        staffing = Staffing(tuple(team_of[s.nurse] for s in a.chain), tuple(s.end_min for s in a.chain[:-1]))
        index = day.staffing_index.get(staffing)
        if a.id in day.choices and index in day.choices[a.id].teams:
            picks[a.id] = (a.start_min, group_of[a.chair], index)
    return picks


def add_hint(day: DayModel, picks: Mapping[str, Pick]) -> None:
    """Start the solver from a known plan; every variable is hinted, consistently with the symmetry rule."""
    model = day.model
    model.clear_hints()  # type: ignore[no-untyped-call]  # untyped in OR-Tools 9.15
    ordered = dict(picks)
    for same in day.alike:  # interchangeable requests: the chain takes the plan's starts in order
        given = sorted(
            ordered.pop(c.options.appointment.id) for c in same if c.options.appointment.id in picks
        )
        ordered |= {c.options.appointment.id: pick for c, pick in zip(same, given, strict=False)}
    for appointment_id, choice in day.choices.items():
        pick = ordered.get(appointment_id)
        a = choice.options.appointment
        if a.fixed is None:
            model.add_hint(choice.present, pick is not None)
        if pick is None:
            continue
        start_min, group, team = pick
        model.add_hint(choice.slot, (start_min - choice.options.first_start_min) // choice.options.step_min)
        model.add_hint(choice.deviation, abs(start_min - a.preferred_start_min))
        for g, chosen in choice.groups.items():
            model.add_hint(chosen, g == group)
        for t, chosen in choice.teams.items():
            model.add_hint(chosen, t == team)
    last_end, load = _measures(day, picks)
    model.add_hint(day.makespan, last_end)
    model.add_hint(day.overtime, max(0, last_end - day.instance.day_end_min))
    model.add_hint(day.max_load, load)


def keep_resources(day: DayModel, picks: Mapping[str, Pick]) -> None:
    """Keep each picked request's chair group and nurse team (only its start may change)."""
    for appointment_id, (_, group, team) in picks.items():
        choice = day.choices[appointment_id]
        for g, chosen in choice.groups.items():
            day.model.add(chosen == int(g == group))
        for t, chosen in choice.teams.items():
            day.model.add(chosen == int(t == team))


def _measures(day: DayModel, picks: Mapping[str, Pick]) -> tuple[int, int]:
    """Return the plan's last end and its busiest team's minutes per nurse."""
    last_end = day.instance.day_start_min
    loads = [0] * len(day.teams)
    handover = day.instance.handover_min or 0
    for appointment_id, (start_min, _, staffing) in picks.items():
        end_min = start_min + day.choices[appointment_id].options.appointment.duration_min
        last_end = max(last_end, end_min)
        for team, begin, until in day.staffings[staffing].segments(start_min, end_min, handover):
            loads[team] += until - begin
    per_nurse = [-(-load // len(day.teams[t].nurses)) for t, load in enumerate(loads)]
    return last_end, max(per_nurse, default=0)


def objective_values(day: DayModel, picks: Mapping[str, Pick]) -> tuple[int, int]:
    """Return the first and second objectives' values for a plan (as the model would count them)."""
    last_end, load = _measures(day, picks)
    instance = day.instance
    left_out = sum(1 for a_id in day.choices if a_id not in picks)
    first = UNSCHEDULED_WEIGHT * left_out + last_end - instance.day_start_min
    first += max(0, last_end - instance.day_end_min)
    deviation = sum(
        abs(start - day.choices[a_id].options.appointment.preferred_start_min)
        for a_id, (start, _, _) in picks.items()
    )
    return first, day.deviation_weight * deviation + load
