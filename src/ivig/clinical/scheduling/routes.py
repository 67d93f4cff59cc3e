"""Plan a home-infusion day as nurse routes with OR-Tools' routing solver (vehicle routing with time windows).

Each nurse is a vehicle that starts and ends at her base within her shift; each visit a node with its window
on the start of care and its service time; the arc cost is travel minutes. A visit may be left out at a
penalty far above any travel, so the solver first does as many visits as it can, then the least travel.
Visits that no plan can hold (skills, window, shift) are screened out first with their reason; confirmed
(fixed) visits are pinned to their nurse and start minute and are never left out unless they cannot be kept.

The search: path-cheapest-arc for a first plan, then guided local search. It stops after `effort` search
branches or `time_limit_s` seconds, whichever comes first; the effort limit does not depend on the clock, so
the same input gives the same routes unless the time limit is reached first (a slow machine, a huge day:
the result then says so in its notes). `effort=None` searches until the time limit (the benchmark's
reference).
The routes' times are then recomputed from the order (route_timeline.py), and the nearest-neighbour
baseline is in route_baseline.py.
"""

from __future__ import annotations

import time
from dataclasses import replace

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from ivig.clinical.scheduling.route_model import HomeVisit, Place, RouteInstance, RouteResult
from ivig.clinical.scheduling.route_timeline import Day, make_result, screen, skilled, timeline

DEFAULT_TIME_LIMIT_S = 4.5
DEFAULT_EFFORT = 8_000  # search branches in all: 3-4.5 s for 50 visits and 8 nurses on a busy 2-core machine
# Guided local search's penalty weight (OR-Tools' default 0.1). Measured on generated days of 50 visits and
# 8 nurses (bench/routes.py, seeds 1-3, effort 8000): 0.5 came within 1 % of the best routes found in 60 s
# on every seed, where 0.1 stayed 9 % above on one day, stuck in a local optimum.
GLS_LAMBDA = 0.5
# First plans: parallel cheapest insertion often starts nearer the best; path cheapest arc sometimes fits
# one more visit. Each search gets half the effort and half the time; the better result is kept.
STRATEGIES = (
    routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION,
    routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC,
)
UNLIMITED = 2**62
DROP_PENALTY = 10_000_000  # minutes of travel a visit is worth: any visit done beats any travel saved
HORIZON_MIN = 2 * 24 * 60


def plan_routes(
    instance: RouteInstance,
    *,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    effort: int | None = DEFAULT_EFFORT,
) -> RouteResult:
    """Return each nurse's route for the day and the visits left out with their reasons."""
    began = time.perf_counter()
    day = Day.of(instance)
    reasons = screen(day)
    visits = [v for v in instance.visits if v.id not in reasons]
    if not visits or not instance.nurses:
        return make_result(day, {}, reasons, method="routing", solve_s=time.perf_counter() - began)
    best: RouteResult | None = None
    notes: list[str] = []
    for strategy in STRATEGIES:  # each from its own first plan, with its share of the effort and time
        share = None if effort is None else max(1, effort // len(STRATEGIES))
        orders, stopped = _search(day, visits, strategy, time_limit_s / len(STRATEGIES), share)
        if stopped:
            notes = [f"stopped at the time limit ({time_limit_s:g} s)"]
        found = make_result(day, orders, reasons, method="routing", solve_s=0.0)
        if best is None or _better(found, best):
            best = found
    assert best is not None
    return replace(best, solve_s=time.perf_counter() - began, notes=tuple(notes))


def _search(
    day: Day, visits: list[HomeVisit], strategy: int, time_limit_s: float, effort: int | None
) -> tuple[dict[str, list[HomeVisit]], bool]:
    """Return each nurse's visits in order from one search, and whether the time limit stopped it."""
    began = time.perf_counter()
    nurses = day.instance.nurses
    places: list[Place] = [*visits, *nurses]
    bases = list(range(len(visits), len(places)))
    manager = pywrapcp.RoutingIndexManager(len(places), len(nurses), bases, bases)
    routing = pywrapcp.RoutingModel(manager)
    travel = [[day.travel(a, b) for b in places] for a in places]
    service = [v.service_min for v in visits] + [0] * len(nurses)
    busy = [[service[a] + travel[a][b] for b in range(len(places))] for a in range(len(places))]
    # Matrices, not Python callbacks: the search asks for arcs millions of times.
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(travel))
    routing.AddDimension(routing.RegisterTransitMatrix(busy), HORIZON_MIN, HORIZON_MIN, False, "time")
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
        able = [vehicle_of[n.id] for n in skilled(day.instance, visit) if timeline(day, n, [visit])]
        routing.VehicleVar(index).SetValues([-1, *able])
        routing.AddDisjunction([index], DROP_PENALTY)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = strategy
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.guided_local_search_lambda_coefficient = GLS_LAMBDA
    params.time_limit.FromMilliseconds(max(1, round(time_limit_s * 1000)))
    if effort is not None:
        routing.AddSearchMonitor(routing.solver().Limit(UNLIMITED, effort, UNLIMITED, UNLIMITED))
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
    return orders, time.perf_counter() - began >= time_limit_s


def _confirmed(visits: list[HomeVisit], nurse_id: str) -> list[int]:
    """Return the nodes of the nurse's confirmed visits in the order of their starts."""
    mine = [(v.fixed.start_min, n) for n, v in enumerate(visits) if v.fixed and v.fixed.nurse == nurse_id]
    return [node for _start, node in sorted(mine)]


def _better(found: RouteResult, best: RouteResult) -> bool:
    """More visits first, then less travel."""
    return (found.scheduled, -found.total_travel_min) > (best.scheduled, -best.total_travel_min)
