"""Optimise a centre day again: started, arrived and completed appointments stay; booked ones may move.

The proposal shows the day's figures before and after; nothing changes until the scheduler confirms, and
then only if the day is still as it was (its fingerprint).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from ivig.clinical.scheduling import Assignment, Schedule, Status, check_schedule, format_time, optimise
from ivig.scheduling.day import BookingError, DayState, day_state, solver_settings
from ivig.scheduling.models import Appointment

Handover = tuple[int, int, int]  # incoming nurse's user pk, her start minute, the outgoing nurse's end minute


@dataclass(frozen=True)
class Figures:
    day_length_min: int
    overtime_min: int
    mean_deviation_min: float
    busiest_nurse: int


@dataclass(frozen=True)
class Proposal:
    day: date
    before: Figures
    after: Figures
    # appointment pk -> start minute, chair pk, nurse pk, handover (None: one nurse watches it all)
    moves: dict[int, tuple[int, int, int, Handover | None]]
    changes: list[dict[str, str]]
    fingerprint: str
    status: str
    gap: float | None


def day_fingerprint(day: date) -> str:
    rows = Appointment.objects.filter(day=day, home_visit=False).order_by("pk")
    text = "|".join(
        f"{a.pk}:{a.status}:{a.start.isoformat()}:{a.chair_id}:{a.nurse_id}:{a.handover_nurse_id}:{a.handover_start}"
        for a in rows
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _figures(schedule: Schedule) -> Figures:
    watching: dict[tuple[str, int], int] = {}
    for a in schedule.assignments:
        for segment in a.chain:
            for minute in range(segment.start_min, segment.end_min, 5):
                watching[(segment.nurse, minute)] = watching.get((segment.nurse, minute), 0) + 1
    return Figures(
        schedule.makespan_min,
        schedule.overtime_min,
        round(schedule.mean_deviation_min, 1),
        max(watching.values(), default=0),
    )


def _handover(assignment: Assignment) -> Handover | None:
    if not assignment.segments:
        return None
    if len(assignment.segments) > 2:
        raise BookingError("The optimiser handed an infusion over twice; the centre records one handover.")
    first, second = assignment.segments
    return int(second.nurse.removeprefix("N")), second.start_min, first.end_min


def _nurses(state: DayState, assignment: Assignment) -> str:
    """Return "A" or "A until 15:30, then B" in the staff's names."""
    chain = assignment.chain
    names = [state.shifts[s.nurse].nurse.display_name for s in chain]
    parts = [f"{name} until {format_time(s.end_min)}" for name, s in zip(names[:-1], chain, strict=False)]
    return ", then ".join([*parts, names[-1]])


def propose(day: date) -> Proposal:
    fingerprint = day_fingerprint(day)
    current = day_state(day)
    free = day_state(day, free_booked=True)
    if not free.appointments:
        raise BookingError(f"Nothing is booked in the centre on {day:%Y-%m-%d}.")
    result = optimise(free.instance, solver_settings())
    if result.status is Status.INFEASIBLE or result.unscheduled or check_schedule(free.instance, result):
        raise BookingError("The optimiser found no better plan that keeps everyone booked.")
    moves, changes = {}, []
    for assignment in result.assignments:
        a = free.appointments[assignment.id]
        chair, nurse = free.chairs[assignment.chair], free.shifts[assignment.nurse].nurse
        moves[a.pk] = (assignment.start_min, chair.pk, nurse.pk, _handover(assignment))
        old = current.booked.assignment(assignment.id)
        if (old.start_min, old.chair, old.chain) != (
            assignment.start_min,
            assignment.chair,
            assignment.chain,
        ):
            changes.append(
                {
                    "patient": str(a.patient),
                    "before": f"{format_time(old.start_min)} {a.chair} {_nurses(current, old)}",
                    "after": f"{format_time(assignment.start_min)} {chair.name} {_nurses(free, assignment)}",
                }
            )
    return Proposal(
        day,
        _figures(current.booked),
        _figures(result),
        moves,
        changes,
        fingerprint,
        result.status.value,
        result.gap,
    )
