"""The nearest-neighbour baseline for home-infusion routes: what a coordinator might do by hand.

One nurse after another (in the instance's order), from her base: drive to the nearest visit she has the
skills for and can still start within its window, keep her confirmed visits and get back to base by the
end of her shift; when no such visit is left, go on to her next confirmed visit, and when none is left, go
home.
"""

from __future__ import annotations

import time

from ivig.clinical.scheduling.route_model import HomeVisit, RouteInstance, RouteResult
from ivig.clinical.scheduling.route_timeline import Day, make_result, screen, timeline


def plan_routes_nearest_neighbour(instance: RouteInstance) -> RouteResult:
    """Return routes built greedily by nearest feasible next visit, for comparison with plan_routes."""
    began = time.perf_counter()
    day = Day.of(instance)
    reasons = screen(day)
    open_visits = [v for v in instance.visits if v.id not in reasons and v.fixed is None]
    orders: dict[str, list[HomeVisit]] = {}
    for nurse in instance.nurses:
        confirmed = sorted(
            (v for v in instance.visits if v.fixed and v.fixed.nurse == nurse.id and v.id not in reasons),
            key=lambda v: v.fixed.start_min if v.fixed else 0,
        )
        order: list[HomeVisit] = []
        while True:
            here = order[-1] if order else nurse
            feasible = [
                v
                for v in open_visits
                if v.skills <= nurse.skills and timeline(day, nurse, [*order, v, *confirmed]) is not None
            ]
            if feasible:
                nearest = min(feasible, key=lambda v: day.travel(here, v))
                order.append(nearest)
                open_visits.remove(nearest)
            elif confirmed:
                order.append(confirmed.pop(0))
            else:
                break
        orders[nurse.id] = order
    return make_result(day, orders, reasons, method="nearest-neighbour", solve_s=time.perf_counter() - began)
