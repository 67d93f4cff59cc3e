"""The nearest-neighbour baseline for home-infusion routes: what a coordinator might do by hand.

All nurses' days are built together, step by step: the nurse who is free soonest drives to the nearest visit
in time (the one she can start soonest, travel and any wait for its window included; the nearer on a tie)
among those she has the skills for, can still start within its window, and that still let her keep her
confirmed visits and get back to base by the end of her shift. A nurse with no such visit goes on to her
next confirmed visit; when no nurse can take any more, the rest go home.
"""

from __future__ import annotations

import time

from ivig.clinical.scheduling.route_model import HomeNurse, HomeVisit, Place, RouteInstance, RouteResult
from ivig.clinical.scheduling.route_timeline import Day, make_result, screen, timeline


def plan_routes_nearest_neighbour(instance: RouteInstance) -> RouteResult:
    """Return routes built greedily by nearest feasible next visit, for comparison with plan_routes."""
    began = time.perf_counter()
    day = Day.of(instance)
    reasons = screen(day)
    open_visits = [v for v in instance.visits if v.id not in reasons and v.fixed is None]
    orders: dict[str, list[HomeVisit]] = {nurse.id: [] for nurse in instance.nurses}
    confirmed = {
        nurse.id: sorted(
            (v for v in instance.visits if v.fixed and v.fixed.nurse == nurse.id and v.id not in reasons),
            key=lambda v: v.fixed.start_min if v.fixed else 0,
        )
        for nurse in instance.nurses
    }

    def free_at(nurse: HomeNurse) -> int:
        route = timeline(day, nurse, orders[nurse.id])
        return route.stops[-1].end_min if route is not None and route.stops else nurse.start_min

    while True:
        moved = False
        for nurse in sorted(instance.nurses, key=free_at):
            order, later = orders[nurse.id], confirmed[nurse.id]
            here: Place = order[-1] if order else nurse
            ready = free_at(nurse)
            feasible = [
                v
                for v in open_visits
                if v.skills <= nurse.skills and timeline(day, nurse, [*order, v, *later]) is not None
            ]
            if feasible:
                nearest = min(feasible, key=lambda v: _soonest(day, here, ready, v))
                order.append(nearest)
                open_visits.remove(nearest)
                moved = True
                break
        if moved:
            continue
        waiting = [nurse for nurse in instance.nurses if confirmed[nurse.id]]
        if not waiting:
            break
        for nurse in waiting:
            orders[nurse.id].append(confirmed[nurse.id].pop(0))
    return make_result(day, orders, reasons, method="nearest-neighbour", solve_s=time.perf_counter() - began)


def _soonest(day: Day, here: Place, ready: int, visit: HomeVisit) -> tuple[int, int]:
    travel = day.travel(here, visit)
    return max(ready + travel, visit.earliest_start_min), travel
