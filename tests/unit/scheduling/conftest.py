"""Small days to schedule, short deterministic solver settings, and the checker on every plan."""

from __future__ import annotations

from typing import Any

from ivig.clinical.scheduling import Instance, Schedule, SolverSettings, check_schedule, parse_instance

FAST = SolverSettings(time_limit_s=0.3, seed=1, deterministic=True)


def day(appointments: list[dict[str, Any]], **overrides: Any) -> Instance:
    """Return a day 08:00-18:00 with two chairs (one a bed), two nurses, and these requests."""
    data: dict[str, Any] = {
        "date": "2026-12-01",
        "day_start": "08:00",
        "day_end": "18:00",
        "max_overtime_min": 0,
        "slot_min": 5,
        "nurse_setup_min": 15,
        "chairs": [{"id": "C1", "features": []}, {"id": "B1", "features": ["bed"]}],
        "nurses": [
            {"id": "N1", "start": "08:00", "end": "16:30", "max_watching": 4},
            {"id": "N2", "start": "09:30", "end": "18:00", "max_watching": 4},
        ],
        "appointments": appointments,
    }
    data.update(overrides)
    return parse_instance(data)


def request(appointment_id: str, duration_min: int, earliest: str = "08:00", **extra: Any) -> dict[str, Any]:
    return {"id": appointment_id, "duration_min": duration_min, "earliest_start": earliest, **extra}


def checked(instance: Instance, plan: Schedule) -> Schedule:
    """Return the plan after the independent checker found nothing wrong with it."""
    problems = check_schedule(instance, plan)
    assert not problems, [str(p) for p in problems]
    return plan


# An early and a late shift with a 15-min handover; 08:00-18:00 plus 240 min overtime (issue 21).
SHIFTS = [
    {"id": "EARLY", "start": "07:30", "end": "15:30", "max_watching": 4},
    {"id": "LATE", "start": "14:30", "end": "22:00", "max_watching": 4},
]


def centre(appointments: list[dict[str, object]], **overrides: object) -> Instance:
    settings: dict[str, object] = {
        "nurses": SHIFTS,
        "max_overtime_min": 240,
        "handover_minutes": 15,
    }
    return day(appointments, **(settings | overrides))
