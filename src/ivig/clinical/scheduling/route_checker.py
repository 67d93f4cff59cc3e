"""An independent check of home-infusion routes against their day.

Written apart from the planners (it shares only the parsed instance and its travel matrix, which travel.py
builds and its own tests pin), so that a mistake in a planner is caught here rather than repeated. Rules:

- every visit is either in one route once or listed as unassigned, never both; ids and nurses are known;
  each nurse has at most one route
- a confirmed (fixed) visit is done by its nurse at its start minute, and is not left out
- the nurse has every skill the visit needs
- care starts within the visit's window, not before the nurse arrives, and lasts the visit's service time
- travel: each leg's minutes are the matrix's; she arrives exactly when she left the previous place plus
  the leg; she leaves her base at or after her shift starts and is back by its end
- no overlap: a nurse starts a visit only after the previous one has ended
- the reported travel minutes add up
"""

from __future__ import annotations

from collections import Counter

from ivig.clinical.scheduling.checker import Violation
from ivig.clinical.scheduling.route_model import RouteInstance, RouteResult
from ivig.clinical.scheduling.travel import TravelMatrix, travel_matrix


def check_routes(
    instance: RouteInstance, result: RouteResult, matrix: TravelMatrix | None = None
) -> list[Violation]:
    """Return every broken rule; an empty list means the routes can be driven as planned."""
    found: list[Violation] = []

    def fail(rule: str, message: str) -> None:
        found.append(Violation(rule, message))

    matrix = matrix or travel_matrix(instance)
    visits = {v.id: v for v in instance.visits}
    nurses = {n.id: n for n in instance.nurses}
    listed = Counter(
        [stop.visit for route in result.routes for stop in route.stops] + [u.visit for u in result.unassigned]
    )
    for visit_id, times in listed.items():
        if visit_id not in visits:
            fail("unknown-visit", f"{visit_id} is not a visit of the day")
        elif times > 1:
            fail("duplicate", f"{visit_id} is listed {times} times")
    for visit_id in visits.keys() - listed.keys():
        fail("missing", f"{visit_id} is neither in a route nor listed as unassigned")
    for item in result.unassigned:
        fixed = visits[item.visit].fixed if item.visit in visits else None
        if fixed is not None:
            fail("fixed-dropped", f"{item.visit} was confirmed with {fixed.nurse} but is left out")
    for nurse_id, times in Counter(route.nurse for route in result.routes).items():
        if times > 1:
            fail("duplicate-route", f"nurse {nurse_id} has {times} routes")
    travel_sum = 0
    for route in result.routes:
        nurse = nurses.get(route.nurse)
        if nurse is None:
            fail("unknown-nurse", f"{route.nurse} is not a nurse of the day")
            continue
        if route.leave_min < nurse.start_min:
            fail("shift", f"{nurse.id} leaves her base at minute {route.leave_min}, before her shift starts")
        place, free_at = nurse.location_id, route.leave_min
        for stop in route.stops:
            visit = visits.get(stop.visit)
            if visit is None:
                continue
            leg = matrix.between(place, visit.location_id)
            if stop.travel_min != leg:
                fail("travel", f"{nurse.id} to {visit.id}: {stop.travel_min} min reported, matrix {leg}")
            if stop.arrive_min != free_at + leg:
                fail("travel", f"{nurse.id} reaches {visit.id} at {stop.arrive_min}, not {free_at + leg}")
            if stop.start_min < free_at:
                fail("overlap", f"{nurse.id} starts {visit.id} before her previous visit has ended")
            if stop.start_min < stop.arrive_min:
                fail("arrival", f"{nurse.id} starts {visit.id} before she arrives")
            if not visit.earliest_start_min <= stop.start_min <= visit.latest_start_min:
                fail("window", f"{visit.id} starts at minute {stop.start_min}, outside its window")
            if stop.end_min != stop.start_min + visit.service_min:
                fail(
                    "service",
                    f"{visit.id} lasts {stop.end_min - stop.start_min}, not {visit.service_min} min",
                )
            missing = visit.skills - nurse.skills
            if missing:
                fail("skills", f"{visit.id} needs {', '.join(sorted(missing))}; {nurse.id} lacks it")
            fixed = visit.fixed
            if fixed is not None and (fixed.nurse, fixed.start_min) != (nurse.id, stop.start_min):
                fail(
                    "fixed-moved", f"{visit.id} was confirmed with {fixed.nurse} at minute {fixed.start_min}"
                )
            travel_sum += stop.travel_min
            place, free_at = visit.location_id, stop.end_min
        back = matrix.between(place, nurse.location_id) if route.stops else 0
        if route.return_travel_min != back:
            fail("travel", f"{nurse.id} back to base: {route.return_travel_min} min reported, matrix {back}")
        if route.stops and route.return_min != free_at + back:
            fail("travel", f"{nurse.id} is back at minute {route.return_min}, not {free_at + back}")
        if route.return_min > nurse.end_min or route.return_min < route.leave_min:
            fail("shift", f"{nurse.id} is back at base at minute {route.return_min}, after her shift ends")
        travel_sum += route.return_travel_min
    if result.total_travel_min != travel_sum:
        fail("figures", f"reported travel {result.total_travel_min} min, the routes add up to {travel_sum}")
    return found
