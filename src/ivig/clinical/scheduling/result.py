"""A day's schedule: who sits where and when, who could not be fitted and why, and its figures."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivig.clinical.scheduling.instance import (
    Appointment,
    Instance,
    InstanceError,
    Segment,
    format_time,
    load_json,
    parse_segments,
    parse_time,
    segments_to_list,
)


class Status(enum.StrEnum):
    OPTIMAL = "OPTIMAL"  # proven best for the objective
    FEASIBLE = "FEASIBLE"  # a checked plan, not proven best
    INFEASIBLE = "INFEASIBLE"  # the fixed appointments alone cannot all be kept: no plan


@dataclass(frozen=True, slots=True)
class Assignment:
    """One placed request. `nurse` sets it up; with a handover, `segments` (two or more) say who watches
    when (see the nurse rule in instance.py); without, she watches it all."""

    id: str
    chair: str
    nurse: str
    start_min: int
    end_min: int
    segments: tuple[Segment, ...] = ()

    @property
    def chain(self) -> tuple[Segment, ...]:
        """Return the segments, one for the whole appointment when there is no handover."""
        return self.segments or (Segment(self.nurse, self.start_min, self.end_min),)

    @property
    def handed_over(self) -> bool:
        return len(self.segments) > 1


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
                    "segments": segments_to_list(a.chain),
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


def load_schedule(path: Path) -> Schedule:
    """Read a result file (the format of Schedule.to_dict); any problem raises InstanceError."""
    return parse_schedule(load_json(path))


def parse_schedule(data: object) -> Schedule:
    """Read a result; one without segments (written before handovers) has one nurse per appointment."""
    root = _object(data, "result")
    try:
        status = Status(str(root.get("status")))
    except ValueError as error:
        choices = ", ".join(s.value for s in Status)
        raise InstanceError(
            f"result.status: expected one of {choices}, got {root.get('status')!r}"
        ) from error
    assignments = tuple(
        _assignment(item, f"assignments[{i}]") for i, item in enumerate(_items(root, "assignments"))
    )
    unscheduled = tuple(
        Unscheduled(
            _text(_object(item, f"unscheduled[{i}]"), "id", f"unscheduled[{i}]"),
            _text(_object(item, f"unscheduled[{i}]"), "reason", f"unscheduled[{i}]"),
        )
        for i, item in enumerate(_items(root, "unscheduled"))
    )
    numbers = {
        key: root.get(key) for key in ("makespan_min", "overtime_min", "mean_deviation_min", "solve_s")
    }
    for key, value in numbers.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InstanceError(f"result.{key}: expected a number, got {value!r}")
    objective, bound = root.get("objective"), root.get("bound")
    notes = root.get("notes") or []
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise InstanceError(f"result.notes: expected a list of text, got {notes!r}")
    return Schedule(
        status=status,
        method=str(root.get("method") or "unknown"),
        assignments=assignments,
        unscheduled=unscheduled,
        makespan_min=int(numbers["makespan_min"] or 0),
        overtime_min=int(numbers["overtime_min"] or 0),
        mean_deviation_min=float(numbers["mean_deviation_min"] or 0.0),
        objective=None if not isinstance(objective, int | float) else float(objective),
        bound=None if not isinstance(bound, int | float) else float(bound),
        solve_s=float(numbers["solve_s"] or 0.0),
        notes=tuple(notes),
    )


def _assignment(data: object, where: str) -> Assignment:
    item = _object(data, where)
    start = parse_time(item.get("start"), f"{where}.start")
    end = parse_time(item.get("end"), f"{where}.end")
    segments = parse_segments(item.get("segments"), f"{where}.segments")
    nurse = _text(item, "nurse", where)
    if segments and segments[0].nurse != nurse:
        raise InstanceError(
            f"{where}.segments: the first segment is {segments[0].nurse}'s, not the nurse {nurse}'s"
        )
    return Assignment(
        _text(item, "id", where),
        _text(item, "chair", where),
        nurse,
        start,
        end,
        () if segments == (Segment(nurse, start, end),) else segments,  # one whole segment: no handover
    )


def _object(data: object, where: str) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise InstanceError(f"{where}: expected an object, got {type(data).__name__}")
    return data


def _items(root: Mapping[str, Any], key: str) -> list[object]:
    value = root.get(key, [])
    if not isinstance(value, list):
        raise InstanceError(f"result.{key}: expected a list, got {type(value).__name__}")
    return value


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InstanceError(f"{where}.{key}: expected text, got {value!r}")
    return value.strip()
