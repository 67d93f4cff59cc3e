"""What each appointment may use: its start window on the slot grid, its chairs and nurses, and why not.

Shared by the optimiser and the FCFS baseline; the checker does not use it (it must stay independent).
"""

from __future__ import annotations

from dataclasses import dataclass

from ivig.clinical.scheduling.instance import Appointment, Chair, Instance, Nurse, format_time


@dataclass(frozen=True, slots=True)
class Options:
    """The starts (minutes, on the grid), chairs and nurses one appointment can have."""

    appointment: Appointment
    first_start_min: int
    last_start_min: int
    step_min: int
    chairs: tuple[Chair, ...]
    nurses: tuple[Nurse, ...]

    @property
    def starts(self) -> range:
        if self.appointment.fixed is not None:
            return range(self.first_start_min, self.first_start_min + 1)
        return range(self.first_start_min, self.last_start_min + 1, self.step_min)


def options(instance: Instance, appointment: Appointment) -> Options:
    """Return the start window, chairs and nurses open to this appointment (possibly empty)."""
    first, last = _window(instance, appointment)
    nurses = tuple(
        n
        for n in instance.nurses
        if max(first, n.start_min) <= min(last, n.end_min - appointment.duration_min)
        and (appointment.fixed is None or appointment.fixed.nurse in (None, n.id))
    )
    if nurses and appointment.fixed is None:  # only starts some nurse's shift can hold
        first = max(first, _grid_up(instance, min(n.start_min for n in nurses)))
        last = min(last, _grid_down(instance, max(n.end_min for n in nurses) - appointment.duration_min))
    chairs = tuple(
        c
        for c in instance.chairs
        if appointment.needs <= c.features
        and (appointment.fixed is None or appointment.fixed.chair in (None, c.id))
    )
    return Options(appointment, first, last, instance.slot_min, chairs, nurses)


def reason_unplaceable(instance: Instance, appointment: Appointment) -> str | None:
    """Return why this appointment can never be placed, whatever else is booked; None when it can."""
    first, last = _window(instance, appointment)
    if first > last:
        return (
            f"it does not fit the day: starting at {format_time(first)} it would end at "
            f"{format_time(first + appointment.duration_min)}, after closing plus overtime "
            f"({format_time(instance.close_min)})"
        )
    found = options(instance, appointment)
    if not found.chairs:
        needs = ", ".join(sorted(appointment.needs)) or "no feature"
        return f"no chair has what it needs ({needs})" + (
            f" or is its fixed chair {appointment.fixed.chair}"
            if appointment.fixed and appointment.fixed.chair
            else ""
        )
    if not found.nurses:
        return (
            f"no nurse's shift can hold {appointment.duration_min} min starting between "
            f"{format_time(first)} and {format_time(last)}"
        )
    if found.first_start_min > found.last_start_min:
        return "no start on the slot grid lies within a nurse's shift"
    return None


def reason_no_capacity(instance: Instance, appointment: Appointment) -> str:
    """Return the reason for an appointment that could be placed alone but not with the others booked."""
    return (
        f"no chair and nurse free for {appointment.duration_min} min between "
        f"{format_time(max(appointment.earliest_start_min, instance.day_start_min))} and closing plus "
        f"overtime ({format_time(instance.close_min)}) once the others are booked"
    )


def _window(instance: Instance, appointment: Appointment) -> tuple[int, int]:
    if appointment.fixed is not None:
        return appointment.fixed.start_min, appointment.fixed.start_min
    first = _grid_up(instance, max(appointment.earliest_start_min, instance.day_start_min))
    return first, _grid_down(instance, instance.close_min - appointment.duration_min)


def _grid_up(instance: Instance, minute: int) -> int:
    slot = instance.slot_min
    return instance.day_start_min + max(0, -(-(minute - instance.day_start_min) // slot) * slot)


def _grid_down(instance: Instance, minute: int) -> int:
    return instance.day_start_min + (minute - instance.day_start_min) // instance.slot_min * instance.slot_min
