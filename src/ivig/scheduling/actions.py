"""Write appointments: book (found by the core or placed by hand), cancel, no-show, status, optimise.

Moving is in `moves.py` (a course's days move together).

Each function is one transaction that first takes the booking lock (the centre-hours row), checks the day
with the clinical core's checker, and leaves an audit event per appointment.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ivig import clock
from ivig.audit.events import record_on
from ivig.clinical.scheduling import Assignment, check_schedule, insert_request
from ivig.orders.models import TherapyOrder
from ivig.scheduling.day import (
    NEW,
    BookingError,
    DayState,
    at,
    course_durations,
    day_state,
    earliest_start,
    handover_of,
    minutes_of,
    minutes_of_time,
    request_for,
    solver_settings,
)
from ivig.scheduling.models import Appointment, CentreHours, Chair, NurseShift

if TYPE_CHECKING:
    from ivig.accounts.models import User

BOOKABLE = (TherapyOrder.Status.SIGNED, TherapyOrder.Status.VERIFIED, TherapyOrder.Status.DISPENSED)
MAX_WINDOW_DAYS = 31


@dataclass(frozen=True)
class Needs:
    bed: bool = False
    isolation: bool = False
    paediatric: bool = False

    def names(self) -> list[str]:
        return [name for name in ("bed", "isolation", "paediatric") if getattr(self, name)]


def _lock() -> CentreHours:
    CentreHours.load()
    return CentreHours.objects.select_for_update().get(pk=1)


def _snapshot(a: Appointment) -> dict[str, Any]:
    return {
        "day": a.day.isoformat(),
        "start": timezone.localtime(a.start).strftime("%H:%M"),
        "end": timezone.localtime(a.end).strftime("%H:%M"),
        "chair": a.chair.name if a.chair else None,
        "nurse": a.nurse.get_username(),
        "status": a.status,
    } | (
        {
            "handover_nurse": a.handover_nurse.get_username(),
            "handover": "-".join(
                f"{timezone.localtime(t):%H:%M}" for t in (a.handover_start, a.handover_end)
            ),
        }
        if a.handover_nurse is not None and a.handover_start is not None and a.handover_end is not None
        else {}
    )


def _log(action: str, by: User, a: Appointment, summary: str, **extra: Any) -> None:
    record_on(a, f"appointment.{action}", by, f"{a.order.reference} day {a.course_day}: {summary}", **extra)


def _check_order(order: TherapyOrder) -> None:
    if order.status not in BOOKABLE:
        raise BookingError(f"{order.reference} is {order.get_status_display().lower()}: it cannot be booked.")
    if order.appointments.filter(status__in=Appointment.ACTIVE).exists():
        raise BookingError(f"{order.reference} is already booked; move its appointments instead.")


def _create(
    *,
    by: User,
    order: TherapyOrder,
    course_day: int,
    day: date,
    start_min: int,
    duration_min: int,
    chair: Chair | None,
    nurse: Any,
    needs: Needs,
    preferred: time | None,
    how: str,
    handover: tuple[int, datetime, datetime] | None = None,
) -> Appointment:
    a = Appointment.objects.create(
        patient=order.patient,
        order=order,
        course_day=course_day,
        day=day,
        start=at(day, start_min),
        end=at(day, start_min + duration_min),
        preferred_start=preferred,
        chair=chair,
        nurse=nurse,
        handover_nurse_id=None if handover is None else handover[0],
        handover_start=None if handover is None else handover[1],
        handover_end=None if handover is None else handover[2],
        home_visit=chair is None,
        needs_bed=needs.bed,
        needs_isolation=needs.isolation,
        needs_paediatric=needs.paediatric,
        booked_by=by,
        booked_at=clock.now(),
    )
    after = _snapshot(a)
    _log("book", by, a, f"booked {how} for {after['day']} {after['start']}", after=after)
    return a


@transaction.atomic
def book_order(
    *, by: User, order: TherapyOrder, first: date, last: date, preferred: time, needs: Needs
) -> list[Appointment]:
    """Find the first start day in [first, last] where every course day fits without moving anyone."""
    hours = _lock()
    _check_order(order)
    if last < first or (last - first).days > MAX_WINDOW_DAYS:
        raise BookingError(f"The date window must run forward and span at most {MAX_WINDOW_DAYS} days.")
    durations = course_durations(order, hours)
    reasons: list[str] = []
    for offset in range((last - first).days + 1):
        start_day = first + timedelta(days=offset)
        try:
            found = [
                _find(start_day + timedelta(days=i), d, preferred, needs) for i, d in enumerate(durations)
            ]
        except BookingError as error:
            reasons.append(f"{start_day:%Y-%m-%d}: {error}")
            continue
        return [
            _create(
                by=by,
                order=order,
                course_day=i,
                day=day,
                start_min=fit.start_min,
                duration_min=fit.end_min - fit.start_min,
                chair=state.chairs[fit.chair],
                nurse=state.shifts[fit.nurse].nurse,
                needs=needs,
                preferred=preferred,
                how="by the optimiser",
                handover=handover_of(day, fit),
            )
            for i, (state, fit) in enumerate(found, start=1)
            for day in [state.day]
        ]
    days = "these days" if len(durations) == 1 else f"{len(durations)} days in a row"
    raise BookingError(f"No room for {days} in the window. " + " ".join(reasons[:3]))


def _find(day: date, duration: int, preferred: time, needs: Needs) -> tuple[DayState, Assignment]:
    state = day_state(day)
    if not state.shifts or not state.instance.chairs:
        raise BookingError(f"no nurse on shift or no chair on {day:%Y-%m-%d}")
    earliest = earliest_start(day, state.hours)
    request = request_for(
        request_id=NEW,
        duration_min=duration,
        earliest_min=earliest,
        preferred_min=minutes_of_time(preferred),
        needs=needs.names(),
    )
    result = insert_request(state.instance, state.booked, request, solver_settings())
    placed = [a for a in result.assignments if a.id == NEW]
    if not placed:
        reason = next((u.reason for u in result.unscheduled if u.id == NEW), "the day is full")
        raise BookingError(f"{day:%Y-%m-%d} has no room ({reason})")
    problems = state.violations([(request, placed[0])])
    if problems:  # the core's own checker has the last word
        raise BookingError(f"{day:%Y-%m-%d}: the found slot breaks a rule: {problems[0]}")
    return state, placed[0]


def _place(
    day: date,
    duration: int,
    start_min: int,
    chair: Chair,
    nurse: Any,
    needs: Needs,
    exclude: Collection[Appointment] = (),
    request_id: str = NEW,
) -> None:
    state = day_state(day, exclude=exclude)
    key = f"N{nurse.pk}"
    if key not in state.shifts:
        raise BookingError(f"{nurse.display_name} has no centre shift on {day:%Y-%m-%d}.")
    if not chair.active:
        raise BookingError(f"Chair {chair.name} is not in use.")
    request = request_for(
        request_id=request_id,
        duration_min=duration,
        earliest_min=start_min,
        preferred_min=start_min,
        needs=needs.names(),
    )
    assignment = Assignment(request_id, f"C{chair.pk}", key, start_min, start_min + duration)
    problems = state.violations([(request, assignment)])
    if problems:
        raise BookingError(f"{day:%Y-%m-%d}: " + "; ".join(problems[:3]))


@transaction.atomic
def place_order(
    *, by: User, order: TherapyOrder, first: date, start: time, chair: Chair, nurse: Any, needs: Needs
) -> list[Appointment]:
    """Book by hand: the same chair, nurse and time on each course day, checked by the core's checker."""

    def check(hours: CentreHours, day: date, start_min: int, duration: int) -> None:
        if start_min < earliest_start(day, hours, lead=False):
            raise BookingError(f"{day:%Y-%m-%d} {start:%H:%M} has passed.")
        _place(day, duration, start_min, chair, nurse, needs)

    return _book_days(by, order, first, start, chair, nurse, needs, check, how="by hand")


@transaction.atomic
def book_home_visits(
    *, by: User, order: TherapyOrder, first: date, start: time, nurse: Any
) -> list[Appointment]:
    """Book each course day at home with a home-infusion nurse on shift, without overlapping her visits."""

    def check(_hours: CentreHours, day: date, start_min: int, duration: int) -> None:
        _check_home(day, start_min, duration, nurse)

    return _book_days(by, order, first, start, None, nurse, Needs(), check, how="as a home visit")


def _book_days(
    by: User,
    order: TherapyOrder,
    first: date,
    start: time,
    chair: Chair | None,
    nurse: Any,
    needs: Needs,
    check: Callable[[CentreHours, date, int, int], None],
    *,
    how: str,
) -> list[Appointment]:
    """Take the booking lock, then book the course's days from `first`, each at `start` with this chair
    (None: at home) and nurse, once `check(centre hours, day, start minute, duration)` lets it."""
    hours = _lock()
    _check_order(order)
    start_min = minutes_of_time(start)
    made = []
    for i, duration in enumerate(course_durations(order, hours), start=1):
        day = first + timedelta(days=i - 1)
        check(hours, day, start_min, duration)
        made.append(
            _create(
                by=by,
                order=order,
                course_day=i,
                day=day,
                start_min=start_min,
                duration_min=duration,
                chair=chair,
                nurse=nurse,
                needs=needs,
                preferred=start,
                how=how,
            )
        )
    return made


def _check_home(
    day: date, start_min: int, duration: int, nurse: Any, exclude: Collection[Appointment] = ()
) -> None:
    shift = NurseShift.objects.filter(nurse=nurse, day=day, home_visits=True).first()
    if shift is None:
        raise BookingError(f"{nurse.display_name} has no home-infusion shift on {day:%Y-%m-%d}.")
    if start_min < minutes_of_time(shift.start) or start_min + duration > minutes_of_time(shift.end):
        raise BookingError(f"{day:%Y-%m-%d}: the visit runs outside {nurse.display_name}'s shift.")
    others = Appointment.objects.filter(
        day=day,
        nurse=nurse,
        status__in=Appointment.ACTIVE,
        start__lt=at(day, start_min + duration),
        end__gt=at(day, start_min),
    )
    others = others.exclude(pk__in=[a.pk for a in exclude])
    if others.exists():
        raise BookingError(f"{day:%Y-%m-%d}: {nurse.display_name} has another visit at that time.")


def _locked(a: Appointment) -> Appointment:
    _lock()
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("order", "patient", "chair", "nurse")
        .get(pk=a.pk)
    )


@transaction.atomic
def cancel_appointment(*, by: User, appointment: Appointment, reason: str) -> Appointment:
    a = _locked(appointment)
    if not reason.strip():
        raise BookingError("Give a reason for cancelling.")
    if a.status not in (Appointment.Status.BOOKED, Appointment.Status.ARRIVED):
        raise BookingError(f"This appointment is {a.get_status_display().lower()}: it cannot be cancelled.")
    before = _snapshot(a)
    a.status, a.cancelled_by, a.cancelled_at = Appointment.Status.CANCELLED, by, clock.now()
    a.cancel_reason = reason.strip()[:300]
    a.save()
    _log("cancel", by, a, f"cancelled: {a.cancel_reason}", before=before, after=_snapshot(a))
    return a


NEXT_STATUS = {
    Appointment.Status.BOOKED: (Appointment.Status.ARRIVED, Appointment.Status.NO_SHOW),
    Appointment.Status.ARRIVED: (Appointment.Status.STARTED,),
    Appointment.Status.STARTED: (Appointment.Status.COMPLETED,),
}


@transaction.atomic
def set_status(*, by: User, appointment: Appointment, status: str) -> Appointment:
    """Record arrival, start, completion or a no-show, in that order only."""
    a = _locked(appointment)
    allowed = NEXT_STATUS.get(Appointment.Status(a.status), ())
    if status not in allowed:
        raise BookingError(
            f"This appointment is {a.get_status_display().lower()}: it cannot become {status}."
        )
    if status == Appointment.Status.NO_SHOW and a.start > clock.now():
        raise BookingError("A no-show can only be recorded once the appointment time has come.")
    before = _snapshot(a)
    a.status = status
    a.save()
    action = "no_show" if status == Appointment.Status.NO_SHOW else status
    _log(action, by, a, f"{a.get_status_display().lower()}", before=before, after=_snapshot(a))
    return a


Move = tuple[int, int, int, tuple[int, int, int] | None]


def _handover_now(a: Appointment) -> tuple[int, int, int] | None:
    if a.handover_nurse_id is None or a.handover_start is None or a.handover_end is None:
        return None
    return a.handover_nurse_id, minutes_of(a.handover_start), minutes_of(a.handover_end)


@transaction.atomic
def apply_plan(*, by: User, day: date, moves: dict[int, Move], fingerprint: str) -> int:
    """Apply an optimised plan (pk -> start minute, chair pk, nurse pk, handover or None) if the day is
    unchanged; a handover is (incoming nurse pk, her start minute, the outgoing nurse's end minute)."""
    from ivig.scheduling.optimise import day_fingerprint

    _lock()
    if day_fingerprint(day) != fingerprint:
        raise BookingError("The day changed since it was optimised: optimise it again.")
    state = day_state(day)
    changed = 0
    for a in state.appointments.values():
        if a.pk not in moves or a.status != Appointment.Status.BOOKED:
            continue
        start_min, chair_pk, nurse_pk, handover = moves[a.pk]
        if (minutes_of(a.start), a.chair_id, a.nurse_id, _handover_now(a)) == (
            start_min,
            chair_pk,
            nurse_pk,
            handover,
        ):
            continue
        before = _snapshot(a)
        duration = a.duration_min
        a.start, a.end = at(day, start_min), at(day, start_min + duration)
        a.chair, a.nurse = state.chairs[f"C{chair_pk}"], state.shifts[f"N{nurse_pk}"].nurse
        if handover is None:
            a.handover_nurse, a.handover_start, a.handover_end = None, None, None
        else:
            a.handover_nurse = state.shifts[f"N{handover[0]}"].nurse
            a.handover_start, a.handover_end = at(day, handover[1]), at(day, handover[2])
        a.save()
        _log("optimise", by, a, f"re-planned to {_snapshot(a)['start']}", before=before, after=_snapshot(a))
        changed += 1
    after = day_state(day)
    problems = check_schedule(after.instance, after.booked)
    if problems:
        raise BookingError(f"The optimised plan breaks a rule: {problems[0]}")
    return changed
