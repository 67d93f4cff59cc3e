"""What both route planners share: the day's checks, a route's times from its order, and the reasons why not.

A route's times follow from its order (`timeline`): the nurse leaves her base late enough not to wait at her
first visit, starts each visit as soon as she is there and its window is open (a confirmed visit at its
confirmed minute), drives on when it ends, and goes home after the last one. Starting each visit as early as
possible is never worse for the visits after it, so an order is feasible exactly when its timeline is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ivig.clinical.scheduling.instance import InstanceError, format_time
from ivig.clinical.scheduling.route_model import (
    HomeNurse,
    HomeVisit,
    NurseRoute,
    Place,
    RouteInstance,
    RouteResult,
    RouteStop,
    UnassignedVisit,
)
from ivig.clinical.scheduling.travel import TravelMatrix, travel_matrix

MIN_PER_DAY = 24 * 60


def validate_instance(instance: RouteInstance) -> None:
    """Raise InstanceError for a day that cannot be planned as given (the JSON reader calls it too)."""
    seen: set[str] = set()
    for kind, items in (("nurse", instance.nurses), ("visit", instance.visits)):
        for item in items:
            if item.id in seen:
                raise InstanceError(f"two nurses or visits have the id {item.id!r}")
            seen.add(item.id)
            if not (-90 <= item.lat <= 90 and -180 <= item.lon <= 180):
                raise InstanceError(f"{kind} {item.id}: lat/lon ({item.lat}, {item.lon}) is not on Earth")
    for nurse in instance.nurses:
        if not 0 <= nurse.start_min < nurse.end_min <= MIN_PER_DAY:
            raise InstanceError(f"nurse {nurse.id}: the shift must end after it starts, within the day")
    nurse_ids = {n.id for n in instance.nurses}
    for visit in instance.visits:
        if not 0 <= visit.earliest_start_min <= visit.latest_start_min < MIN_PER_DAY:
            raise InstanceError(f"visit {visit.id}: the latest start must not be before the earliest start")
        if visit.service_min < 1:
            raise InstanceError(f"visit {visit.id}: service_min must be at least 1")
        fixed = visit.fixed
        if fixed is None:
            continue
        if fixed.nurse not in nurse_ids:
            raise InstanceError(f"visit {visit.id}: fixed nurse {fixed.nurse!r} is not a nurse of the day")
        if not visit.earliest_start_min <= fixed.start_min <= visit.latest_start_min:
            raise InstanceError(
                f"visit {visit.id}: its confirmed start {format_time(fixed.start_min)} is outside its window "
                f"{format_time(visit.earliest_start_min)}-{format_time(visit.latest_start_min)}"
            )


@dataclass(frozen=True, slots=True)
class Day:
    """The instance with its travel matrix at hand."""

    instance: RouteInstance
    matrix: TravelMatrix

    @classmethod
    def of(cls, instance: RouteInstance) -> Day:
        validate_instance(instance)
        return cls(instance, travel_matrix(instance))

    def travel(self, origin: Place, destination: Place) -> int:
        return self.matrix.between(origin.location_id, destination.location_id)


def timeline(day: Day, nurse: HomeNurse, visits: Sequence[HomeVisit]) -> NurseRoute | None:
    """Return the nurse's route through these visits in this order, or None when it cannot be done."""
    if not visits:
        return NurseRoute(nurse.id, nurse.start_min, (), 0, nurse.start_min)
    stops: list[RouteStop] = []
    place: Place = nurse
    clock = nurse.start_min
    for visit in visits:
        travel = day.travel(place, visit)
        arrive = clock + travel
        start = visit.fixed.start_min if visit.fixed is not None else max(arrive, visit.earliest_start_min)
        if start < arrive or start > visit.latest_start_min:
            return None
        stops.append(RouteStop(visit.id, arrive, start, start + visit.service_min, travel))
        clock, place = start + visit.service_min, visit
    back = day.travel(place, nurse)
    if clock + back > nurse.end_min:
        return None
    first = stops[0]
    leave = first.start_min - first.travel_min  # no waiting at the first door
    stops[0] = RouteStop(first.visit, first.start_min, first.start_min, first.end_min, first.travel_min)
    return NurseRoute(nurse.id, leave, tuple(stops), back, clock + back)


def skilled(instance: RouteInstance, visit: HomeVisit) -> list[HomeNurse]:
    return [nurse for nurse in instance.nurses if visit.skills <= nurse.skills]


def screen(day: Day) -> dict[str, str]:
    """Return the visits no plan can include, each with the reason; confirmed ones that cannot be kept too."""
    reasons: dict[str, str] = {}
    kept: dict[str, list[HomeVisit]] = {nurse.id: [] for nurse in day.instance.nurses}
    for visit in day.instance.visits:
        reason = _fixed_reason(day, visit) if visit.fixed is not None else _reason(day, visit)
        if reason is not None:
            reasons[visit.id] = reason
        elif visit.fixed is not None:
            kept[visit.fixed.nurse].append(visit)
    for nurse_id, confirmed in kept.items():  # confirmed visits of one nurse must fit together
        nurse, held = day.instance.nurse(nurse_id), list[HomeVisit]()
        for visit in sorted(confirmed, key=lambda v: (v.fixed.start_min if v.fixed else 0, v.id)):
            if timeline(day, nurse, [*held, visit]) is None:
                clash = held[-1].id if held else "her shift"
                reasons[visit.id] = (
                    f"confirmed with {nurse_id} at {_at(visit)} but it clashes with {clash} (travel included)"
                )
            else:
                held.append(visit)
    return reasons


def _reason(day: Day, visit: HomeVisit) -> str | None:
    nurses = skilled(day.instance, visit)
    if not nurses:
        return f"no nurse has the skill(s) {', '.join(sorted(visit.skills))}"
    if any(timeline(day, nurse, [visit]) is not None for nurse in nurses):
        return None
    longest = max(nurse.end_min - nurse.start_min for nurse in nurses)
    if all(
        day.travel(n, visit) + visit.service_min + day.travel(visit, n) > n.end_min - n.start_min
        for n in nurses
    ):
        return (
            f"shift too short: no nurse with the skills has {visit.service_min} min of care plus travel"
            f" (longest shift {longest} min)"
        )
    window = f"{format_time(visit.earliest_start_min)}-{format_time(visit.latest_start_min)}"
    return (
        f"window {window} cannot be met: no nurse with the skills can start then"
        " and be back at base by the end of her shift"
    )


def _fixed_reason(day: Day, visit: HomeVisit) -> str | None:
    assert visit.fixed is not None
    nurse = day.instance.nurse(visit.fixed.nurse)
    missing = visit.skills - nurse.skills
    if missing:
        return f"confirmed with {nurse.id}, who lacks the skill(s) {', '.join(sorted(missing))}"
    if timeline(day, nurse, [visit]) is None:
        shift = f"{format_time(nurse.start_min)}-{format_time(nurse.end_min)}"
        return f"confirmed with {nurse.id} at {_at(visit)}, which her shift {shift} and travel cannot hold"
    return None


def _at(visit: HomeVisit) -> str:
    return format_time(visit.fixed.start_min) if visit.fixed is not None else "?"


NO_ROOM = "no room: the nurses with the skills are fully booked around its window"


def make_result(
    day: Day,
    orders: Mapping[str, Sequence[HomeVisit]],
    reasons: dict[str, str],
    *,
    method: str,
    solve_s: float,
    notes: Iterable[str] = (),
) -> RouteResult:
    """Build the result from each nurse's visit order; each visit not in a route is listed with its reason."""
    routes: list[NurseRoute] = []
    for nurse in day.instance.nurses:
        route = timeline(day, nurse, orders.get(nurse.id, ()))
        if route is None:
            raise RuntimeError(f"{method}: the route of {nurse.id} cannot be carried out")  # a fault in ivig
        routes.append(route)
    placed = {stop.visit for route in routes for stop in route.stops}
    unassigned = tuple(
        UnassignedVisit(v.id, reasons.get(v.id, NO_ROOM)) for v in day.instance.visits if v.id not in placed
    )
    total = sum(route.travel_min for route in routes)
    return RouteResult(method, tuple(routes), unassigned, total, solve_s, tuple(notes))
