"""Write home-visit routes: optimise a day (again), confirm a visit's time, set a visit's window.

Each function is one transaction that takes the booking lock (the centre-hours row) first and leaves audit
events. A plan is saved only once the clinical core's independent route checker passes it.
"""

from __future__ import annotations

import math
from datetime import date, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from ivig import clock
from ivig.audit.events import record
from ivig.clinical.scheduling import (
    NurseRoute,
    RouteInstance,
    RouteResult,
    check_routes,
    haversine_km,
    plan_routes,
)
from ivig.scheduling.actions import _lock, _log, _snapshot
from ivig.scheduling.day import BookingError, at, minutes_of
from ivig.scheduling.home_day import HomeDay, fingerprint, home_day, is_fixed
from ivig.scheduling.models import Appointment, HomeDayPlan, HomeRoute, RouteStop, TravelMatrix
from ivig.scheduling.travel_upload import ParsedMatrix

if TYPE_CHECKING:
    from ivig.accounts.models import User


def planner(instance: RouteInstance) -> RouteResult:
    """The core's route planner with the site's time limit (tests may replace this function)."""
    limit = float(getattr(settings, "IVIG_SCHEDULING_TIME_LIMIT_S", 5.0))
    return plan_routes(instance, time_limit_s=limit)


@transaction.atomic
def optimise_home_day(*, by: User, day: date) -> HomeDayPlan:
    """Plan the day's home visits as routes and store them; confirmed visits keep their nurse and start.

    Refused when nothing can be planned, or when the core's checker finds a broken rule in the routes."""
    _lock()
    state = home_day(day)
    if not state.instance.nurses:
        raise BookingError(
            f"No home-infusion nurse with a home base is on shift on {day:%Y-%m-%d}. " + " ".join(state.notes)
        )
    if not state.visits and not state.left_out:
        raise BookingError(f"No home visits are booked on {day:%Y-%m-%d}.")
    result = planner(state.instance)
    problems = check_routes(state.instance, result)
    dropped = [p for p in problems if p.rule == "fixed-dropped"]
    if dropped and len(dropped) == len(problems):
        reasons = {u.visit: u.reason for u in result.unassigned}
        names = "; ".join(
            f"{state.visits[v].patient} ({reasons.get(v, 'cannot be kept')})"
            for v in (p.message.split(" ", 1)[0] for p in dropped)
            if v in state.visits
        )
        raise BookingError(
            f"A visit confirmed with the family can no longer be kept as confirmed: {names}. Nothing was "
            "saved: withdraw its confirmation (or change the nurse's shift) and optimise again."
        )
    if problems:
        raise BookingError(
            f"The planned routes break a rule, so nothing was saved: {problems[0]}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
        )
    return _store(by, state, result)


def _store(by: User, state: HomeDay, result: RouteResult) -> HomeDayPlan:
    day = state.day
    HomeDayPlan.objects.filter(day=day).delete()
    unassigned = [{"visit": k, "reason": r} for k, r in state.left_out.items()]
    unassigned += [{"visit": u.visit, "reason": u.reason} for u in result.unassigned]
    plan = HomeDayPlan.objects.create(
        day=day,
        planned_by=by,
        planned_at=clock.now(),
        solver_status=result.method,
        travel_source=state.travel_source[:200],
        fingerprint="",
        unassigned=[{"appointment": int(u["visit"][1:]), "reason": u["reason"]} for u in unassigned],
    )
    moved = 0
    for route in result.routes:
        if route.stops:
            moved += _store_route(by, plan, state, route)
    plan.fingerprint = fingerprint(day)
    plan.save(update_fields=["fingerprint"])
    record(
        action="home_day.optimise",
        by=by,
        target=plan,
        summary=f"Home visits of {day:%Y-%m-%d} planned as routes: {result.scheduled} visit(s) on "
        f"{sum(1 for r in result.routes if r.stops)} route(s), {len(unassigned)} left out, "
        f"{result.total_travel_min} min of travel ({state.travel_source}); {moved} visit(s) changed",
        after={
            "routes": {r.nurse: [s.visit for s in r.stops] for r in result.routes if r.stops},
            "unassigned": unassigned,
            "travel_min": result.total_travel_min,
            "method": result.method,
        },
    )
    return plan


def _store_route(by: User, plan: HomeDayPlan, state: HomeDay, route: NurseRoute) -> int:
    """Save one nurse's route and move its visits to their planned nurse and start; return how many moved."""
    day, shift = state.day, state.shifts[route.nurse]
    nurse = state.instance.nurse(route.nurse)
    distances: list[Decimal | None] = []
    previous = (nurse.lat, nurse.lon)
    for stop in route.stops:
        visit = state.instance.visit(stop.visit)
        distances.append(_km(state, previous, (visit.lat, visit.lon)))
        previous = (visit.lat, visit.lon)
    back = _km(state, previous, (nurse.lat, nurse.lon))
    known = [d for d in [*distances, back] if d is not None]
    saved = HomeRoute.objects.create(
        plan=plan,
        nurse=shift.nurse,
        leave_base=at(day, route.leave_min),
        back_at_base=at(day, route.return_min),
        travel_min=route.travel_min,
        distance_km=sum(known, Decimal("0")) if len(known) == len(distances) + 1 else None,
    )
    moved = 0
    for position, (stop, km) in enumerate(zip(route.stops, distances, strict=True), start=1):
        a = state.visits[stop.visit]
        RouteStop.objects.create(
            route=saved,
            appointment=a,
            position=position,
            travel_min=stop.travel_min,
            distance_km=km,
            arrival=at(day, stop.arrive_min),
            start=at(day, stop.start_min),
            end=at(day, stop.end_min),
        )
        if (a.nurse_id, minutes_of(a.start)) != (shift.nurse_id, stop.start_min):
            before = _snapshot(a)
            a.nurse = shift.nurse
            a.start, a.end = at(day, stop.start_min), at(day, stop.end_min)
            a.save()
            _log(
                "route",
                by,
                a,
                f"routed to {_snapshot(a)['start']} with {a.nurse.display_name}",
                before=before,
                after=_snapshot(a),
            )
            moved += 1
    return moved


def _km(state: HomeDay, origin: tuple[float, float], destination: tuple[float, float]) -> Decimal | None:
    """The leg's road distance estimate (straight line × road factor); None when a loaded matrix is used."""
    travel = state.instance.travel
    if travel.has_matrix:
        return None
    km = haversine_km(*origin, *destination) * travel.road_factor
    return Decimal(str(math.floor(km * 10 + 0.5) / 10))


@transaction.atomic
def confirm_visit(*, by: User, appointment: Appointment, confirmed: bool = True) -> Appointment:
    """Record that the family was given the visit's time (it then stays put when the day is re-planned), or
    take that back."""
    _lock()
    a = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("order", "patient", "nurse")
        .get(pk=appointment.pk)
    )
    if not a.home_visit:
        raise BookingError("Only a home visit is confirmed this way.")
    if a.status not in Appointment.ACTIVE:
        raise BookingError(f"This visit is {a.get_status_display().lower()}: it cannot be confirmed.")
    if a.day < clock.localdate():
        raise BookingError("This visit's day has passed.")
    if confirmed == (a.confirmed_at is not None):
        return a
    a.confirmed_by, a.confirmed_at = (by, clock.now()) if confirmed else (None, None)
    a.save()
    what = "confirmed with the family" if confirmed else "confirmation withdrawn"
    _log(
        "confirm" if confirmed else "unconfirm",
        by,
        a,
        f"{what} for {_snapshot(a)['start']}",
        after=_snapshot(a) | {"confirmed": confirmed},
    )
    return a


@transaction.atomic
def set_visit_window(
    *,
    by: User,
    appointment: Appointment,
    earliest: time | None,
    latest: time | None,
    needs_paediatric: bool,
    needs_scig_teaching: bool,
) -> Appointment:
    """Set a home visit's window (the family's earliest and latest start) and the skills it needs."""
    _lock()
    a = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("order", "patient", "nurse")
        .get(pk=appointment.pk)
    )
    if not a.home_visit or a.status != Appointment.Status.BOOKED:
        raise BookingError("Only a booked home visit has a window to set.")
    if earliest and latest and latest < earliest:
        raise BookingError("The latest start cannot be before the earliest.")
    if is_fixed(a) and not _inside(a, earliest, latest):
        raise BookingError("This visit is confirmed outside that window: withdraw the confirmation first.")
    before: dict[str, Any] = _window(a)
    a.window_earliest, a.window_latest = earliest, latest
    a.needs_paediatric, a.needs_scig_teaching = needs_paediatric, needs_scig_teaching
    a.save()
    _log("window", by, a, "home visit window set", before=before, after=_window(a))
    return a


def _inside(a: Appointment, earliest: time | None, latest: time | None) -> bool:
    start = minutes_of(a.start)
    return (earliest is None or start >= earliest.hour * 60 + earliest.minute) and (
        latest is None or start <= latest.hour * 60 + latest.minute
    )


def _window(a: Appointment) -> dict[str, Any]:
    return {
        "earliest": a.window_earliest.strftime("%H:%M") if a.window_earliest else None,
        "latest": a.window_latest.strftime("%H:%M") if a.window_latest else None,
        "paediatric": a.needs_paediatric,
        "scig_teaching": a.needs_scig_teaching,
    }


@transaction.atomic
def load_travel_matrix(*, by: User, name: str, matrix: ParsedMatrix) -> TravelMatrix:
    """Use this matrix for travel times from now on (the one before it is kept, no longer used)."""
    name = name.strip()[:120]
    if not name:
        raise BookingError("Name the matrix (e.g. where and when it was exported).")
    TravelMatrix.objects.filter(active=True).update(active=False)
    loaded = TravelMatrix.objects.create(
        name=name, uploaded_by=by, uploaded_at=clock.now(), points=matrix.points, minutes=matrix.minutes
    )
    record(
        action="travel_matrix.load",
        by=by,
        target=loaded,
        summary=f"Travel matrix “{name}” loaded: {len(matrix.points)} places, used for home routes from now",
        after={"name": name, "places": len(matrix.points)},
    )
    return loaded


@transaction.atomic
def stop_travel_matrix(*, by: User) -> int:
    """Go back to the estimate (straight line x road factor at the average speed); return matrices stopped."""
    stopped = list(TravelMatrix.objects.select_for_update().filter(active=True))
    for loaded in stopped:
        loaded.active = False
        loaded.save(update_fields=["active"])
        record(
            action="travel_matrix.stop",
            by=by,
            target=loaded,
            summary=f"Travel matrix “{loaded.name}” no longer used: home routes use the estimate",
        )
    return len(stopped)
