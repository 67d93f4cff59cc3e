"""Infusion-centre day scheduling: instances, a CP-SAT optimiser, the FCFS baseline and a checker.

Pure Python and OR-Tools; no Django. See instance.py for the format and the nurse rule.
"""

from __future__ import annotations

from ivig.clinical.scheduling.checker import Violation, check_schedule
from ivig.clinical.scheduling.eligibility import reason_unplaceable
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
    Segment,
    format_time,
    instance_to_dict,
    load_instance,
    parse_instance,
    parse_time,
)
from ivig.clinical.scheduling.optimiser import SolverSettings, insert_request, optimise
from ivig.clinical.scheduling.result import (
    Assignment,
    Schedule,
    Status,
    Unscheduled,
    load_schedule,
    lower_bound_day_min,
    parse_schedule,
)

__all__ = [
    "FEATURES",
    "Appointment",
    "Assignment",
    "Chair",
    "Fixed",
    "Instance",
    "InstanceError",
    "Nurse",
    "Schedule",
    "Segment",
    "SolverSettings",
    "Status",
    "Unscheduled",
    "Violation",
    "check_schedule",
    "format_time",
    "generate_instance",
    "insert_request",
    "instance_to_dict",
    "load_instance",
    "load_schedule",
    "lower_bound_day_min",
    "optimise",
    "parse_instance",
    "parse_schedule",
    "parse_time",
    "reason_unplaceable",
    "schedule_fcfs",
]
