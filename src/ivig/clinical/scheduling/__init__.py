"""Infusion-centre day scheduling (CP-SAT, FCFS baseline, checker) and home-infusion nurse routes.

Pure Python and OR-Tools; no Django. See instance.py for the format and the nurse rule.
"""

from __future__ import annotations

from ivig.clinical.scheduling.checker import Violation, check_schedule
from ivig.clinical.scheduling.fcfs import schedule_fcfs
from ivig.clinical.scheduling.generator import generate_instance
from ivig.clinical.scheduling.instance import (
    FEATURES,
    Appointment,
    Chair,
    Fixed,
    Instance,
    InstanceError,
    Nurse,
    format_time,
    instance_to_dict,
    load_instance,
    parse_instance,
    parse_time,
)
from ivig.clinical.scheduling.optimiser import SolverSettings, insert_request, optimise
from ivig.clinical.scheduling.result import Assignment, Schedule, Status, Unscheduled, lower_bound_day_min
from ivig.clinical.scheduling.route_baseline import plan_routes_nearest_neighbour
from ivig.clinical.scheduling.route_checker import check_routes
from ivig.clinical.scheduling.route_generator import generate_home_day
from ivig.clinical.scheduling.route_model import (
    DEFAULT_ROAD_FACTOR,
    DEFAULT_SPEED_KMH,
    FixedVisit,
    HomeNurse,
    HomeVisit,
    NurseRoute,
    RouteInstance,
    RouteResult,
    RouteStop,
    TravelSettings,
    UnassignedVisit,
)
from ivig.clinical.scheduling.routes import plan_routes
from ivig.clinical.scheduling.routes_json import (
    load_route_instance,
    load_route_result,
    parse_route_instance,
    parse_route_result,
    route_instance_to_dict,
    route_result_to_dict,
)
from ivig.clinical.scheduling.travel import TravelMatrix, haversine_km, travel_matrix

__all__ = [
    "DEFAULT_ROAD_FACTOR",
    "DEFAULT_SPEED_KMH",
    "FEATURES",
    "Appointment",
    "Assignment",
    "Chair",
    "Fixed",
    "FixedVisit",
    "HomeNurse",
    "HomeVisit",
    "Instance",
    "InstanceError",
    "Nurse",
    "NurseRoute",
    "RouteInstance",
    "RouteResult",
    "RouteStop",
    "Schedule",
    "SolverSettings",
    "Status",
    "TravelMatrix",
    "TravelSettings",
    "UnassignedVisit",
    "Unscheduled",
    "Violation",
    "check_routes",
    "check_schedule",
    "format_time",
    "generate_home_day",
    "generate_instance",
    "haversine_km",
    "insert_request",
    "instance_to_dict",
    "load_instance",
    "load_route_instance",
    "load_route_result",
    "lower_bound_day_min",
    "optimise",
    "parse_instance",
    "parse_route_instance",
    "parse_route_result",
    "parse_time",
    "plan_routes",
    "plan_routes_nearest_neighbour",
    "route_instance_to_dict",
    "route_result_to_dict",
    "schedule_fcfs",
    "travel_matrix",
]
