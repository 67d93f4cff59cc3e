"""A centre day as the clinical core sees it: chairs, nurses on shift and appointments, in minutes.

Ids in the core's instance: chairs "C<pk>", nurses "N<user pk>", appointments "A<pk>" (a new request "new").
Home visits are not on the centre's day: they use no chair and their nurses work outside the centre.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from ivig import clock
from ivig.clinical.scheduling import (
    Appointment as Request,
)
from ivig.clinical.scheduling import (
    Assignment,
    Fixed,
    Instance,
    Nurse,
    Schedule,
    Segment,
    SolverSettings,
    Status,
    check_schedule,
)
from ivig.clinical.scheduling import (
    Chair as CoreChair,
)
from ivig.clinical.scheduling.result import make_schedule
from ivig.lib.refusals import ActionRefused
from ivig.orders.models import TherapyOrder
from ivig.orders.planning import treated_as_first
from ivig.scheduling.models import Appointment, CentreHours, Chair, NurseShift

NEW = "new"


class BookingError(ActionRefused):
    """A booking step was refused; the message says why, in words for the person at the screen."""


def minutes_of(moment: datetime) -> int:
    local = timezone.localtime(moment)
    return local.hour * 60 + local.minute


def minutes_of_time(value: time) -> int:
    return value.hour * 60 + value.minute


def at(day: date, minutes: int) -> datetime:
    """Return the aware local datetime `minutes` after midnight on `day`."""
    naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return timezone.make_aware(naive)


def solver_settings() -> SolverSettings:
    limit = float(getattr(settings, "IVIG_SCHEDULING_TIME_LIMIT_S", 5.0))
    return SolverSettings(time_limit_s=limit, deterministic=True)


def course_durations(order: TherapyOrder, hours: CentreHours) -> list[int]:
    """Chair minutes for each day of the order: the plan's infusion plus set-up, observation, turnover."""
    plan = order.plan or {}
    days = plan.get("days") or []
    if not days:
        raise BookingError(f"{order.reference} has no plan to book from.")
    first = treated_as_first(order)
    durations = []
    for index, day in enumerate(days, start=1):
        infusion = day.get("duration_min")
        if infusion is None:
            raise BookingError(f"Day {index} of {order.reference} has no infusion time in its plan.")
        observation = hours.first_infusion_observation_min if first and index == 1 else hours.observation_min
        durations.append(math.ceil(infusion) + hours.setup_min + observation + hours.turnover_min)
    return durations


@dataclass
class DayState:
    """One day: the core's instance (current appointments fixed) and the plan as it stands."""

    day: date
    hours: CentreHours
    instance: Instance
    booked: Schedule
    appointments: dict[str, Appointment]
    chairs: dict[str, Chair]
    shifts: dict[str, NurseShift]

    def violations(self, extra: list[tuple[Request, Assignment]]) -> list[str]:
        """Return the rules the day breaks once `extra` is added that it did not break before."""
        before = {str(v) for v in check_schedule(self.instance, self.booked)}
        instance = dataclasses.replace(
            self.instance, appointments=(*self.instance.appointments, *(r for r, _ in extra))
        )
        schedule = make_schedule(
            instance,
            [*self.booked.assignments, *(a for _, a in extra)],
            self.booked.unscheduled,
            status=Status.FEASIBLE,
            method="hand",
        )
        return [str(v) for v in check_schedule(instance, schedule) if str(v) not in before]


def request_for(
    *, request_id: str, duration_min: int, earliest_min: int, preferred_min: int, needs: list[str]
) -> Request:
    return Request(request_id, duration_min, earliest_min, max(preferred_min, earliest_min), frozenset(needs))


def day_state(day: date, *, exclude: Collection[Appointment] = (), free_booked: bool = False) -> DayState:
    """Build the day; with `free_booked`, booked appointments may move (started ones stay)."""
    hours = CentreHours.load()
    chairs = {f"C{c.pk}": c for c in Chair.objects.filter(active=True)}
    shifts = {
        f"N{s.nurse_id}": s
        for s in NurseShift.objects.filter(day=day, home_visits=False).select_related("nurse")
    }
    rows = Appointment.objects.filter(day=day, home_visit=False, status__in=Appointment.ACTIVE)
    if exclude:
        rows = rows.exclude(pk__in=[a.pk for a in exclude])
    appointments = {f"A{a.pk}": a for a in rows.select_related("patient", "chair", "nurse", "handover_nurse")}
    requests, assignments = [], []
    # Only a movable booking needs "now"; a past day is shown as it was, never re-planned.
    earliest_now = earliest_start(day, hours, lead=False) if free_booked else 0
    for key, a in appointments.items():
        start = minutes_of(a.start)
        preferred = minutes_of_time(a.preferred_start) if a.preferred_start else start
        chair, nurse = f"C{a.chair_id}", f"N{a.nurse_id}"
        movable = free_booked and a.status == Appointment.Status.BOOKED
        chain = segments_of(a)
        fixed = None if movable else Fixed(start, chair, nurse, chain)
        earliest = max(earliest_now, minutes_of_time(hours.day_start)) if movable else start
        requests.append(
            Request(key, a.duration_min, earliest, max(preferred, earliest), frozenset(a.needs), fixed)
        )
        assignments.append(Assignment(key, chair, nurse, start, start + a.duration_min, chain))
    instance = Instance(
        date=day,
        day_start_min=minutes_of_time(hours.day_start),
        day_end_min=minutes_of_time(hours.day_end),
        max_overtime_min=min(hours.max_overtime_min, 24 * 60 - minutes_of_time(hours.day_end)),
        slot_min=hours.slot_min,
        nurse_setup_min=hours.setup_min,
        chairs=tuple(CoreChair(key, frozenset(c.features)) for key, c in chairs.items()),
        nurses=tuple(
            Nurse(key, minutes_of_time(s.start), minutes_of_time(s.end), s.max_watching)
            for key, s in shifts.items()
        ),
        appointments=tuple(requests),
        handover_min=hours.handover_minutes,
    )
    booked = make_schedule(instance, assignments, [], status=Status.FEASIBLE, method="booked")
    return DayState(day, hours, instance, booked, appointments, chairs, shifts)


def segments_of(a: Appointment) -> tuple[Segment, ...]:
    """Return a handed-over appointment's two segments in the core's terms; () without a handover."""
    if a.handover_nurse_id is None or a.handover_start is None or a.handover_end is None:
        return ()
    start, end = minutes_of(a.start), minutes_of(a.start) + a.duration_min
    return (
        Segment(f"N{a.nurse_id}", start, minutes_of(a.handover_end)),
        Segment(f"N{a.handover_nurse_id}", minutes_of(a.handover_start), end),
    )


def handover_of(day: date, assignment: Assignment) -> tuple[int, datetime, datetime] | None:
    """Return (incoming nurse's user pk, her start, the outgoing nurse's end) for a two-nurse chain."""
    if not assignment.segments:
        return None
    if len(assignment.segments) > 2:
        raise BookingError(
            "The plan hands an infusion over twice; the centre records one handover per infusion."
        )
    first, second = assignment.segments
    return int(second.nurse.removeprefix("N")), at(day, second.start_min), at(day, first.end_min)


def earliest_start(day: date, hours: CentreHours, *, lead: bool = True) -> int:
    """Return the first minute a new infusion may start on `day`: not in the past, after pharmacy's lead."""
    now = clock.localtime()
    opening = minutes_of_time(hours.day_start)
    if day > now.date():
        return opening
    if day < now.date():
        raise BookingError(f"{day:%Y-%m-%d} has passed.")
    ready = now.hour * 60 + now.minute + (hours.pharmacy_lead_min if lead else 0)
    return max(opening, ready)


def load_series(state: DayState) -> dict[str, Any]:
    """Each centre nurse's watched patients, minute by minute over the opening hours plus overtime."""
    instance = state.instance
    first, last = instance.day_start_min, instance.close_min
    series: dict[str, Any] = {}
    for key, shift in state.shifts.items():
        counts = [0] * (last - first)
        setups = [0] * (last - first)
        for a in state.booked.assignments:
            for segment in a.chain:
                if segment.nurse == key:
                    for minute in range(max(segment.start_min, first), min(segment.end_min, last)):
                        counts[minute - first] += 1
            if a.nurse != key:
                continue
            for minute in range(max(a.start_min, first), min(a.start_min + instance.nurse_setup_min, last)):
                setups[minute - first] += 1
        series[key] = {"shift": shift, "counts": counts, "setups": setups}
    return series
