"""Move a booked appointment; a multi-day course's days move together so they stay on consecutive days.

Moving one day to another date shifts every other booked day of its course by the same number of days,
each keeping its own time, chair and nurse; if any of them has begun, or any would not fit, nothing moves
and the message says which day and why (the course rule is the clinical core's `shift_course`).
"""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ivig.clinical.scheduling.course import CourseError, shift_course
from ivig.scheduling.actions import Needs, _check_home, _locked, _log, _place, _snapshot
from ivig.scheduling.day import BookingError, at, earliest_start, minutes_of, minutes_of_time
from ivig.scheduling.models import Appointment, CentreHours, Chair

if TYPE_CHECKING:
    from ivig.accounts.models import User


@transaction.atomic
def move_appointment(
    *, by: User, appointment: Appointment, day: date, start: time, chair: Chair | None, nurse: Any
) -> list[Appointment]:
    """Move the appointment (and, to another date, the rest of its course); return what moved."""
    a = _locked(appointment)
    if a.status != Appointment.Status.BOOKED:
        raise BookingError(
            f"Only a booked appointment can be moved; this one is {a.get_status_display().lower()}."
        )
    course = list(
        Appointment.objects.select_for_update(of=("self",))
        .filter(order=a.order, status__in=Appointment.ACTIVE)
        .exclude(pk=a.pk)
        .select_related("chair", "nurse")
        .order_by("course_day")
    )
    try:
        dates = shift_course(
            {a.course_day: a.day, **{o.course_day: o.day for o in course}},
            a.course_day,
            day,
            pinned=[o.course_day for o in course if o.status != Appointment.Status.BOOKED],
        )
    except CourseError as error:
        raise BookingError(f"Not moved: {error}.") from error
    moving = [o for o in course if dates[o.course_day] != o.day]
    together = [a, *moving]
    plans = [(a, day, minutes_of_time(start), chair, nurse)]
    plans += [(o, dates[o.course_day], minutes_of(o.start), o.chair, o.nurse) for o in moving]
    hours = CentreHours.load()
    for o, new_day, start_min, new_chair, new_nurse in plans:
        where = f"Course day {o.course_day} on {new_day:%Y-%m-%d}" if moving else f"{new_day:%Y-%m-%d}"
        if start_min < earliest_start(new_day, hours, lead=False):
            raise BookingError(f"{where} at {start_min // 60:02d}:{start_min % 60:02d} has passed.")
        try:
            _check(o, new_day, start_min, new_chair, new_nurse, together)
        except BookingError as error:
            raise BookingError(f"{where}: {error}" if moving else str(error)) from error
    for o, new_day, start_min, new_chair, new_nurse in plans:
        before = _snapshot(o)
        duration = o.duration_min
        o.day, o.start, o.end = new_day, at(new_day, start_min), at(new_day, start_min + duration)
        o.chair, o.nurse = (None if o.home_visit else new_chair), new_nurse
        o.handover_nurse, o.handover_start, o.handover_end = None, None, None  # moved: one nurse again
        o.save()
        summary = f"moved to {new_day:%Y-%m-%d} {start_min // 60:02d}:{start_min % 60:02d}"
        if o is not a:
            summary += f" with course day {a.course_day}"
        _log("move", by, o, summary, before=before, after=_snapshot(o))
    return together


def _check(
    o: Appointment, day: date, start_min: int, chair: Chair | None, nurse: Any, together: list[Appointment]
) -> None:
    """Refuse the placement if it breaks a rule; the course's own appointments are left out of the day."""
    if o.home_visit:
        _check_home(day, start_min, o.duration_min, nurse, exclude=together)
        return
    if chair is None:
        raise BookingError("Choose a chair.")
    needs = Needs(o.needs_bed, o.needs_isolation, o.needs_paediatric)
    _place(day, o.duration_min, start_min, chair, nurse, needs, exclude=together, request_id=f"A{o.pk}")
