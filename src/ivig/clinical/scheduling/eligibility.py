"""What each appointment may use: its start window on the slot grid, its chairs and nurses, and why not.

Shared by the optimiser and the FCFS baseline; the checker does not use it (it must stay independent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ivig.clinical.scheduling.instance import Appointment, Chair, Instance, Nurse, format_time

MAX_CHAIN = 3  # nurses in one handover chain


class Shift(Protocol):
    @property
    def start_min(self) -> int: ...
    @property
    def end_min(self) -> int: ...


S = TypeVar("S", bound=Shift)


@dataclass(frozen=True, slots=True)
class Options:
    """The starts (minutes, on the grid), chairs and nurses one appointment can have.

    `nurses` can each watch it alone; `pool` holds the nurses that may watch it as a handover chain (empty
    when the day allows no handovers, the appointment is fixed, or one nurse's shift holds its first start).
    """

    appointment: Appointment
    first_start_min: int
    last_start_min: int
    step_min: int
    chairs: tuple[Chair, ...]
    nurses: tuple[Nurse, ...]
    pool: tuple[Nurse, ...] = ()

    @property
    def starts(self) -> range:
        if self.appointment.fixed is not None:
            return range(self.first_start_min, self.first_start_min + 1)
        return range(self.first_start_min, self.last_start_min + 1, self.step_min)


def shift_chains(
    shifts: Sequence[S], start_min: int, end_min: int, setup_min: int, handover_min: int
) -> list[tuple[S, ...]]:
    """Return every chain of 2 to MAX_CHAIN of these shifts that can watch [start, end), each handing over
    where its shift ends: the first holds the start and the set-up before its handover, each next one is
    on shift for the handover and ends later, the last holds the end. Only the shortest chains are given:
    a nurse more means a handover more, taken only when fewer nurses cannot cover the infusion."""
    found: list[tuple[S, ...]] = []
    layer: list[tuple[S, ...]] = [
        (first,)
        for first in shifts
        if first.start_min <= start_min
        and start_min + setup_min <= first.end_min - handover_min
        and first.end_min < end_min
    ]
    for _ in range(MAX_CHAIN - 1):
        longer: list[tuple[S, ...]] = []
        for chain in layer:
            last = chain[-1]
            for after in shifts:
                if after.start_min <= last.end_min - handover_min and after.end_min > last.end_min:
                    (found if after.end_min >= end_min else longer).append((*chain, after))
        if found:
            return found
        layer = longer
    return found


def handover_needed(instance: Instance, appointment: Appointment) -> bool:
    """Return whether chains are offered: handovers allowed, not fixed, and no nurse's shift holds the
    appointment from its first start (so a chain can only start it sooner, or at all)."""
    if instance.handover_min is None or appointment.fixed is not None:
        return False
    first, _ = _window(instance, appointment)
    end = first + appointment.duration_min
    return not any(n.start_min <= first and end <= n.end_min for n in instance.nurses)


def options(instance: Instance, appointment: Appointment) -> Options:
    """Return the start window, chairs and nurses open to this appointment (possibly empty)."""
    first, last = _window(instance, appointment)
    nurses = tuple(
        n
        for n in instance.nurses
        if max(first, n.start_min) <= min(last, n.end_min - appointment.duration_min)
        and (appointment.fixed is None or appointment.fixed.nurse in (None, n.id))
    )
    pool = instance.nurses if handover_needed(instance, appointment) else ()
    if pool:  # only starts one nurse or a chain can hold
        starts = [s for s in range(first, last + 1, instance.slot_min) if _held(instance, appointment, s)]
        first, last = (starts[0], starts[-1]) if starts else (first, first - 1)
    elif nurses and appointment.fixed is None:  # only starts some nurse's shift can hold
        first = max(first, _grid_up(instance, min(n.start_min for n in nurses)))
        last = min(last, _grid_down(instance, max(n.end_min for n in nurses) - appointment.duration_min))
    chairs = tuple(
        c
        for c in instance.chairs
        if appointment.needs <= c.features
        and (appointment.fixed is None or appointment.fixed.chair in (None, c.id))
    )
    return Options(appointment, first, last, instance.slot_min, chairs, nurses, pool)


def _held(instance: Instance, appointment: Appointment, start_min: int) -> bool:
    """Return whether one nurse or a chain (by shifts, whatever is booked) can watch from this start."""
    end = start_min + appointment.duration_min
    if any(n.start_min <= start_min and end <= n.end_min for n in instance.nurses):
        return True
    shifts = list({(n.start_min, n.end_min): n for n in instance.nurses}.values())
    handover = instance.handover_min or 0
    return bool(shift_chains(shifts, start_min, end, instance.nurse_setup_min, handover))


def _reach_min(instance: Instance, start_min: int) -> int:
    """Return the latest minute nurses can watch to from this start, one alone or handing over."""
    holding = [n.end_min for n in instance.nurses if n.start_min <= start_min]
    reach = max(holding, default=start_min)
    handover = instance.handover_min
    if handover is None:
        return reach
    for _ in range(MAX_CHAIN - 1):
        on = [n.end_min for n in instance.nurses if n.start_min <= reach - handover and n.end_min > reach]
        reach = max(on, default=reach)
    return reach


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
    fixed_chain = appointment.fixed is not None and bool(appointment.fixed.chain)
    if not found.chairs:
        needs = ", ".join(sorted(appointment.needs)) or "no feature"
        return f"no chair has what it needs ({needs})" + (
            f" or is its fixed chair {appointment.fixed.chair}"
            if appointment.fixed and appointment.fixed.chair
            else ""
        )
    if fixed_chain:
        return None  # its chain stays as booked; the checker has the last word on it
    if found.pool:
        if found.first_start_min > found.last_start_min:
            return (
                f"no chain of nurses can cover {appointment.duration_min} min from {format_time(first)} "
                f"(to {format_time(first + appointment.duration_min)}), nor from any later start up to "
                f"{format_time(last)}: handing over ({instance.handover_min} min) where shifts end, the "
                f"nurses on shift watch from {format_time(first)} to "
                f"{format_time(_reach_min(instance, first))} at most"
            )
        return None
    if not found.nurses:
        how = "" if instance.handover_min is None else " and no chain of nurses handing over"
        return (
            f"no nurse's shift{how} can hold {appointment.duration_min} min starting between "
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
