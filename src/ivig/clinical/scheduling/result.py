"""A day's schedule: who sits where and when, who could not be fitted and why, and its figures."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from ivig.clinical.scheduling.instance import Appointment, Instance, format_time


class Status(enum.StrEnum):
    OPTIMAL = "OPTIMAL"  # proven best for the objective
    FEASIBLE = "FEASIBLE"  # a checked plan, not proven best
    INFEASIBLE = "INFEASIBLE"  # the fixed appointments alone cannot all be kept: no plan


@dataclass(frozen=True, slots=True)
class Assignment:
    id: str
    chair: str
    nurse: str
    start_min: int
    end_min: int


@dataclass(frozen=True, slots=True)
class Unscheduled:
    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Schedule:
    status: Status
    method: str  # "cp-sat" or "fcfs"
    assignments: tuple[Assignment, ...]
    unscheduled: tuple[Unscheduled, ...]
    makespan_min: int  # length of day: from opening to the last end
    overtime_min: int  # minutes the last end is past closing
    mean_deviation_min: float  # mean |start - preferred start| over the scheduled appointments
    objective: float | None = None
    bound: float | None = None
    solve_s: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def gap(self) -> float | None:
        """Return the relative gap between the objective and the solver's best bound."""
        if self.objective is None or self.bound is None:
            return None
        return 0.0 if self.objective == 0 else abs(self.objective - self.bound) / abs(self.objective)

    def assignment(self, appointment_id: str) -> Assignment:
        for assignment in self.assignments:
            if assignment.id == appointment_id:
                return assignment
        raise KeyError(appointment_id)

    def to_dict(self) -> dict[str, object]:
        gap = self.gap
        return {
            "status": self.status.value,
            "method": self.method,
            "assignments": [
                {
                    "id": a.id,
                    "chair": a.chair,
                    "nurse": a.nurse,
                    "start": format_time(a.start_min),
                    "end": format_time(a.end_min),
                }
                for a in self.assignments
            ],
            "unscheduled": [{"id": u.id, "reason": u.reason} for u in self.unscheduled],
            "makespan_min": self.makespan_min,
            "overtime_min": self.overtime_min,
            "mean_deviation_min": round(self.mean_deviation_min, 2),
            "objective": self.objective,
            "bound": self.bound,
            "gap": None if gap is None else round(gap, 6),
            "solve_s": round(self.solve_s, 3),
            "notes": list(self.notes),
        }


def make_schedule(
    instance: Instance,
    assignments: Sequence[Assignment],
    unscheduled: Sequence[Unscheduled],
    *,
    status: Status,
    method: str,
    objective: float | None = None,
    bound: float | None = None,
    solve_s: float = 0.0,
    notes: Sequence[str] = (),
) -> Schedule:
    """Build a schedule and compute its day length, overtime and mean deviation."""
    preferred = {a.id: a.preferred_start_min for a in instance.appointments}
    ordered = tuple(sorted(assignments, key=lambda a: (a.start_min, a.chair, a.id)))
    last_end = max((a.end_min for a in ordered), default=instance.day_start_min)
    deviations = [abs(a.start_min - preferred[a.id]) for a in ordered]
    return Schedule(
        status=status,
        method=method,
        assignments=ordered,
        unscheduled=tuple(unscheduled),
        makespan_min=max(0, last_end - instance.day_start_min),
        overtime_min=max(0, last_end - instance.day_end_min),
        mean_deviation_min=sum(deviations) / len(deviations) if deviations else 0.0,
        objective=objective,
        bound=bound,
        solve_s=solve_s,
        notes=tuple(notes),
    )


def lower_bound_day_min(instance: Instance, appointments: Sequence[Appointment] | None = None) -> int:
    """Return the simple day-length bound: latest earliest-start plus duration, or chair-minutes/chairs.

    It holds for any plan that schedules all the `appointments` (by default the instance's): each ends
    no sooner than its earliest start (a fixed one: its start) plus its duration, and the chairs hold every
    chair-minute between opening and the last end.
    """
    requests = instance.appointments if appointments is None else appointments
    if not requests or not instance.chairs:
        return 0
    reach = max(
        (a.fixed.start_min if a.fixed is not None else max(a.earliest_start_min, instance.day_start_min))
        + a.duration_min
        for a in requests
    )
    chair_min = sum(a.duration_min for a in requests)
    return max(reach - instance.day_start_min, -(-chair_min // len(instance.chairs)))
