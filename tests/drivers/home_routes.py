"""Home-infusion routes as the tests drive them: optimise a day, read back where each visit went."""

from __future__ import annotations

from typing import Any


def optimise(team: Any) -> Any:
    from ivig.scheduling.route_actions import optimise_home_day

    return optimise_home_day(by=team.scheduler, day=team.day)


def stops_of(day: Any) -> dict[int, Any]:
    """Appointment pk -> its stop on the day's stored routes."""
    from ivig.scheduling.models import RouteStop

    stops = RouteStop.objects.filter(route__plan__day=day).select_related("route")
    return {stop.appointment_id: stop for stop in stops}


def stored_routes_pass_the_checker(day: Any) -> list[str]:
    """Rebuild the core's result from the stored routes and check it against the day as it stands."""
    from ivig.clinical.scheduling import NurseRoute, RouteResult, RouteStop, check_routes
    from ivig.scheduling.day import minutes_of
    from ivig.scheduling.home_day import home_day, nurse_key, visit_key
    from ivig.scheduling.models import HomeDayPlan

    plan = HomeDayPlan.objects.get(day=day)
    state = home_day(day)
    routes = []
    for route in plan.routes.all():
        stops = tuple(
            RouteStop(
                visit_key(s.appointment_id),
                minutes_of(s.arrival),
                minutes_of(s.start),
                minutes_of(s.end),
                s.travel_min,
            )
            for s in route.stops.all()
        )
        back = minutes_of(route.back_at_base)
        travel_back = route.travel_min - sum(s.travel_min for s in stops)
        routes.append(
            NurseRoute(nurse_key(route.nurse_id), minutes_of(route.leave_base), stops, travel_back, back)
        )
    planned = {r.nurse for r in routes}
    routes += [
        NurseRoute(n.id, n.start_min, (), 0, n.start_min)
        for n in state.instance.nurses
        if n.id not in planned
    ]
    order = [n.id for n in state.instance.nurses]
    routes.sort(key=lambda r: order.index(r.nurse))
    from ivig.clinical.scheduling import UnassignedVisit

    unassigned = tuple(
        UnassignedVisit(visit_key(u["appointment"]), u["reason"])
        for u in plan.unassigned
        if visit_key(u["appointment"]) in state.visits
    )
    result = RouteResult("stored", tuple(routes), unassigned, sum(r.travel_min for r in routes))
    return [str(v) for v in check_routes(state.instance, result)]


def book_where_free(team: Any, order: Any) -> Any:
    """Book the order as a home visit with the first team nurse and half-hour start that are free."""
    from datetime import time

    from ivig.scheduling import actions
    from ivig.scheduling.day import BookingError

    for nurse in team.nurses:
        for half_hours in range(14, 36):
            try:
                start = time(half_hours // 2, 30 * (half_hours % 2))
                return actions.book_home_visits(
                    by=team.scheduler, order=order, first=team.day, start=start, nurse=nurse
                )[0]
            except BookingError:
                continue
    raise AssertionError("no free time for another home visit")
