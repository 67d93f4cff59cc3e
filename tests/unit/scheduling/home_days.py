"""Small home-infusion days built from the JSON format, and the route checker on every plan."""

from __future__ import annotations

from typing import Any

from ivig.clinical.scheduling import RouteInstance, RouteResult, check_routes, parse_route_instance

# Three places on a line 10 km apart east of a base (about 1/111 degree of latitude per 1.11 km): with the
# default travel model (x1.3 road factor, 40 km/h) each 10 km leg is ceil(19.5) = 20 minutes.
BASE = (45.0, 0.0)
KM = 1 / 111.195  # degrees of latitude per km on the mean-radius sphere


def at_km(km: float) -> dict[str, float]:
    return {"lat": BASE[0] + km * KM, "lon": BASE[1]}


def nurse(nurse_id: str, start: str = "08:00", end: str = "16:00", **extra: Any) -> dict[str, Any]:
    return {"id": nurse_id, "start": start, "end": end, "skills": [], **at_km(0), **extra}


def visit(
    visit_id: str,
    km: float,
    earliest: str = "08:00",
    latest: str = "14:00",
    service_min: int = 60,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": visit_id,
        "patient": f"P-{visit_id}",
        **at_km(km),
        "earliest_start": earliest,
        "latest_start": latest,
        "service_min": service_min,
        **extra,
    }


def home_day(
    visits: list[dict[str, Any]], nurses: list[dict[str, Any]] | None = None, **extra: Any
) -> RouteInstance:
    data: dict[str, Any] = {
        "date": "2026-12-01",
        "nurses": nurses or [nurse("N1")],
        "visits": visits,
        **extra,
    }
    return parse_route_instance(data)


def checked_routes(instance: RouteInstance, result: RouteResult) -> RouteResult:
    """Return the routes after the independent checker found nothing wrong with them."""
    problems = check_routes(instance, result)
    assert not problems, [str(p) for p in problems]
    return result
