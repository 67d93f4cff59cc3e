"""Plan a home-infusion day as nurse routes with OR-Tools' routing solver (vehicle routing with time windows).

Each nurse is a vehicle that starts and ends at her base within her shift; each visit a node with its window
on the start of care and its service time; the arc cost is travel minutes. A visit may be left out at a
penalty far above any travel, so the solver first does as many visits as it can, then the least travel.
Visits that no plan can hold (skills, window, shift) are screened out first with their reason; confirmed
(fixed) visits are pinned to their nurse and start minute and are never left out unless they cannot be kept.

The search: path-cheapest-arc for a first plan, then guided local search. It stops after `effort`
solutions or `time_limit_s` seconds, whichever comes first; the effort limit does not depend on the clock, so
the same input gives the same routes unless the time limit is reached first (a slow machine, a huge day).
The routes' times are then recomputed from the order (route_timeline.py), and the nearest-neighbour
baseline is in route_baseline.py.
"""

from __future__ import annotations

import time

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from ivig.clinical.scheduling.route_model import HomeVisit, Place, RouteInstance, RouteResult
from ivig.clinical.scheduling.route_timeline import Day, make_result, screen, skilled, timeline

DEFAULT_TIME_LIMIT_S = 4.0
DEFAULT_EFFORT = 20_000  # solutions the local search may visit (about 2-3 s for 50 visits and 8 nurses)
DROP_PENALTY = 10_000_000  # minutes of travel a visit is worth: any visit done beats any travel saved
HORIZON_MIN = 2 * 24 * 60


def plan_routes(
    instance: RouteInstance, *, time_limit_s: float = DEFAULT_TIME_LIMIT_S, effort: int = DEFAULT_EFFORT
) -> RouteResult:
    """Return each nurse's route for the day and the visits left out with their reasons."""
    began = time.perf_counter()
    day = Day.of(instance)
    reasons = screen(day)
    visits = [v for v in instance.visits if v.id not in reasons]
    nurses = instance.nurses
    if not visits or not nurses:
        return make_result(day, {}, reasons, method="routing", solve_s=time.perf_counter() - began)
    places: list[Place] = [*visits, *nurses]
    bases = list(range(len(visits), len(places)))
    manager = pywrapcp.RoutingIndexManager(len(places), len(nurses), bases, bases)
    routing = pywrapcp.RoutingModel(manager)
    travel = [[day.travel(a, b) for b in places] for a in places]
    service = [v.service_min for v in visits] + [0] * len(nurses)

    def travel_cb(i: int, j: int) -> int:
        return travel[int(manager.IndexToNode(i))][int(manager.IndexToNode(j))]

    def time_cb(i: int, j: int) -> int:
        a, b = int(manager.IndexToNode(i)), int(manager.IndexToNode(j))
        return service[a] + travel[a][b]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(travel_cb))
    routing.AddDimension(routing.RegisterTransitCallback(time_cb), HORIZON_MIN, HORIZON_MIN, False, "time")
    clock = routing.GetDimensionOrDie("time")
    for vehicle, nurse in enumerate(nurses):
        clock.CumulVar(routing.Start(vehicle)).SetRange(nurse.start_min, nurse.end_min)
        clock.CumulVar(routing.End(vehicle)).SetRange(nurse.start_min, nurse.end_min)
    vehicle_of = {nurse.id: vehicle for vehicle, nurse in enumerate(nurses)}
    for node, visit in enumerate(visits):
        index = manager.NodeToIndex(node)
        if visit.fixed is not None:
            clock.CumulVar(index).SetValue(visit.fixed.start_min)
            routing.VehicleVar(index).SetValues([vehicle_of[visit.fixed.nurse]])
            continue
        clock.CumulVar(index).SetRange(visit.earliest_start_min, visit.latest_start_min)
        able = [vehicle_of[n.id] for n in skilled(instance, visit) if timeline(day, n, [visit]) is not None]
        routing.VehicleVar(index).SetValues([-1, *able])
        routing.AddDisjunction([index], DROP_PENALTY)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(max(1, round(time_limit_s * 1000)))
    params.solution_limit = max(1, effort)
    solution = routing.SolveWithParameters(params)
    if solution is None:  # no first plan found by the heuristic: start from the confirmed visits alone
        start = [[manager.NodeToIndex(node) for node in _confirmed(visits, nurse.id)] for nurse in nurses]
        initial = routing.ReadAssignmentFromRoutes(start, True)
        solution = routing.SolveFromAssignmentWithParameters(initial, params) if initial else None
    if solution is None:
        raise RuntimeError("the routing solver found no plan, not even the confirmed visits alone")
    orders: dict[str, list[HomeVisit]] = {}
    for vehicle, nurse in enumerate(nurses):
        order, index = [], solution.Value(routing.NextVar(routing.Start(vehicle)))
        while not routing.IsEnd(index):
            order.append(visits[manager.IndexToNode(index)])
            index = solution.Value(routing.NextVar(index))
        orders[nurse.id] = order
    return make_result(day, orders, reasons, method="routing", solve_s=time.perf_counter() - began)


def _confirmed(visits: list[HomeVisit], nurse_id: str) -> list[int]:
    """Return the nodes of the nurse's confirmed visits in the order of their starts."""
    mine = [(v.fixed.start_min, n) for n, v in enumerate(visits) if v.fixed and v.fixed.nurse == nurse_id]
    return [node for _start, node in sorted(mine)]
