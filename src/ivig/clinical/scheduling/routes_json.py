"""The JSON formats of a home-infusion day (instance) and its routes (result), read with clear errors.

Instance: {"date": "YYYY-MM-DD", "travel": {...}?, "nurses": [...], "visits": [...]}
- nurse: id, start, end ("HH:MM" shift), skills (list of text), lat, lon (her base), location (optional id)
- visit: id, patient (text, optional), lat, lon, earliest_start, latest_start ("HH:MM", the window on the
  start of care), service_min (infusion + set-up + observation), skills (needed), location (optional id),
  fixed (optional: {"nurse": id, "start": "HH:MM"} for a confirmed visit)
- travel (optional): road_factor and speed_kmh (site settings; defaults in route_model.py), or
  matrix: {"ids": [location ids], "minutes": [[minutes from row id to column id]]}
Result: method, total_travel_min, solve_s, notes, routes (nurse, leave, return, return_travel_min, stops:
visit, arrive, start, end, travel_min) and unassigned (visit, reason).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ivig.clinical.scheduling.instance import (
    FEATURE_ALIASES,
    InstanceError,
    _get,
    _int,
    _list,
    _mapping,
    _str,
    format_time,
    load_json,
    parse_time,
)
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
from ivig.clinical.scheduling.route_timeline import validate_instance
from ivig.clinical.scheduling.travel import check_matrix


def load_route_instance(path: Path) -> RouteInstance:
    return parse_route_instance(load_json(path))


def parse_route_instance(data: object) -> RouteInstance:
    """Check and convert the JSON home-day format."""
    root = _mapping(data, "instance")
    try:
        date = dt.date.fromisoformat(_str(root, "date", "instance"))
    except ValueError as error:
        raise InstanceError(f"instance.date: expected YYYY-MM-DD, got {root['date']!r}") from error
    nurses = tuple(_nurse(item, f"nurses[{i}]") for i, item in enumerate(_list(root, "nurses")))
    visits = tuple(_visit(item, f"visits[{i}]") for i, item in enumerate(_list(root, "visits")))
    instance = RouteInstance(date, nurses, visits, _travel(root.get("travel", {})))
    validate_instance(instance)
    return instance


def _nurse(data: object, where: str) -> HomeNurse:
    item = _mapping(data, where)
    start = parse_time(_get(item, "start", where), f"{where}.start")
    end = parse_time(_get(item, "end", where), f"{where}.end")
    if end <= start:
        raise InstanceError(f"{where}: the shift must end after it starts")
    return HomeNurse(
        id=_str(item, "id", where),
        start_min=start,
        end_min=end,
        skills=_skills(item.get("skills", []), f"{where}.skills"),
        lat=_float(item, "lat", where),
        lon=_float(item, "lon", where),
        location=_location(item, where),
    )


def _visit(data: object, where: str) -> HomeVisit:
    item = _mapping(data, where)
    earliest = parse_time(_get(item, "earliest_start", where), f"{where}.earliest_start")
    latest = parse_time(_get(item, "latest_start", where), f"{where}.latest_start")
    if latest < earliest:
        raise InstanceError(f"{where}: latest_start is before earliest_start")
    patient = item.get("patient", "")
    if not isinstance(patient, str | int) or isinstance(patient, bool):
        raise InstanceError(f"{where}.patient: expected a reference (text), got {patient!r}")
    fixed = item.get("fixed")
    return HomeVisit(
        id=_str(item, "id", where),
        patient=str(patient),
        lat=_float(item, "lat", where),
        lon=_float(item, "lon", where),
        earliest_start_min=earliest,
        latest_start_min=latest,
        service_min=_int(item, "service_min", where, low=1),
        skills=_skills(item.get("skills", []), f"{where}.skills"),
        fixed=None if fixed is None else _fixed(fixed, f"{where}.fixed"),
        location=_location(item, where),
    )


def _fixed(data: object, where: str) -> FixedVisit:
    item = _mapping(data, where)
    return FixedVisit(_str(item, "nurse", where), parse_time(_get(item, "start", where), f"{where}.start"))


def _travel(data: object) -> TravelSettings:
    item = _mapping(data, "travel")
    road = _float(item, "road_factor", "travel", default=DEFAULT_ROAD_FACTOR)
    speed = _float(item, "speed_kmh", "travel", default=DEFAULT_SPEED_KMH)
    if road < 1:
        raise InstanceError(f"travel.road_factor: roads are never shorter than the straight line, got {road}")
    if speed <= 0:
        raise InstanceError(f"travel.speed_kmh: expected a speed above 0, got {speed}")
    if item.get("matrix") is None:
        return TravelSettings(road, speed)
    matrix = _mapping(item["matrix"], "travel.matrix")
    ids, rows = _get(matrix, "ids", "travel.matrix"), _get(matrix, "minutes", "travel.matrix")
    if not isinstance(ids, list) or not all(isinstance(i, str) and i.strip() for i in ids):
        raise InstanceError(f"travel.matrix.ids: expected a list of location ids (text), got {ids!r}")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise InstanceError("travel.matrix.minutes: expected a list of rows (lists of minutes)")
    check_matrix(ids, rows)
    minutes = tuple(tuple(math.ceil(value) for value in row) for row in rows)
    return TravelSettings(road, speed, tuple(i.strip() for i in ids), minutes)


def _skills(data: object, where: str) -> frozenset[str]:
    if not isinstance(data, list) or not all(isinstance(s, str) and s.strip() for s in data):
        raise InstanceError(f"{where}: expected a list of skill names (text), got {data!r}")
    return frozenset(FEATURE_ALIASES.get(s.strip().lower(), s.strip().lower()) for s in data)


def _float(item: Mapping[str, Any], key: str, where: str, *, default: float | None = None) -> float:
    value = _get(item, key, where) if default is None else item.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InstanceError(f"{where}.{key}: expected a number, got {value!r}")
    return float(value)


def _location(item: Mapping[str, Any], where: str) -> str:
    return _str(item, "location", where) if item.get("location") is not None else ""


def route_instance_to_dict(instance: RouteInstance) -> dict[str, object]:
    """Return the JSON instance format (the inverse of parse_route_instance)."""
    travel: dict[str, object] = {
        "road_factor": instance.travel.road_factor,
        "speed_kmh": instance.travel.speed_kmh,
    }
    if instance.travel.has_matrix:
        travel["matrix"] = {
            "ids": list(instance.travel.matrix_ids),
            "minutes": [list(r) for r in instance.travel.matrix_min],
        }
    nurses = [
        {
            "id": n.id,
            "start": format_time(n.start_min),
            "end": format_time(n.end_min),
            "skills": sorted(n.skills),
        }
        | {"lat": n.lat, "lon": n.lon}
        | ({"location": n.location} if n.location else {})
        for n in instance.nurses
    ]
    visits: list[dict[str, object]] = []
    for v in instance.visits:
        item: dict[str, object] = {
            "id": v.id,
            "patient": v.patient,
            "lat": v.lat,
            "lon": v.lon,
            "earliest_start": format_time(v.earliest_start_min),
            "latest_start": format_time(v.latest_start_min),
            "service_min": v.service_min,
            "skills": sorted(v.skills),
        }
        if v.location:
            item["location"] = v.location
        if v.fixed is not None:
            item["fixed"] = {"nurse": v.fixed.nurse, "start": format_time(v.fixed.start_min)}
        visits.append(item)
    return {"date": instance.date.isoformat(), "travel": travel, "nurses": nurses, "visits": visits}


def route_result_to_dict(result: RouteResult) -> dict[str, object]:
    """Return the JSON result format."""
    return {
        "method": result.method,
        "total_travel_min": result.total_travel_min,
        "solve_s": round(result.solve_s, 3),
        "notes": list(result.notes),
        "routes": [
            {
                "nurse": r.nurse,
                "leave": format_time(r.leave_min),
                "return": format_time(r.return_min),
                "travel_min": r.travel_min,
                "return_travel_min": r.return_travel_min,
                "stops": [
                    {
                        "visit": s.visit,
                        "arrive": format_time(s.arrive_min),
                        "start": format_time(s.start_min),
                        "end": format_time(s.end_min),
                        "travel_min": s.travel_min,
                    }
                    for s in r.stops
                ],
            }
            for r in result.routes
        ],
        "unassigned": [{"visit": u.visit, "reason": u.reason} for u in result.unassigned],
    }


def load_route_result(path: Path) -> RouteResult:
    return parse_route_result(load_json(path))


def parse_route_result(data: object) -> RouteResult:
    """Check and convert the JSON result format (so a saved plan can be checked again)."""
    root = _mapping(data, "result")
    routes = []
    for i, entry in enumerate(_list(root, "routes")):
        where = f"routes[{i}]"
        item = _mapping(entry, where)
        stops = []
        for j, stop_data in enumerate(_stops(item, where)):
            at = f"{where}.stops[{j}]"
            stop = _mapping(stop_data, at)
            arrive, start, end = (_time(stop, key, at) for key in ("arrive", "start", "end"))
            stops.append(RouteStop(_str(stop, "visit", at), arrive, start, end, _int(stop, "travel_min", at)))
        routes.append(
            NurseRoute(
                nurse=_str(item, "nurse", where),
                leave_min=parse_time(_get(item, "leave", where), f"{where}.leave"),
                stops=tuple(stops),
                return_travel_min=_int(item, "return_travel_min", where),
                return_min=parse_time(_get(item, "return", where), f"{where}.return"),
            )
        )
    unassigned = tuple(
        UnassignedVisit(
            _str(_mapping(u, f"unassigned[{i}]"), "visit", f"unassigned[{i}]"),
            _str(_mapping(u, f"unassigned[{i}]"), "reason", f"unassigned[{i}]"),
        )
        for i, u in enumerate(_list(root, "unassigned"))
    )
    notes = root.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise InstanceError("result.notes: expected a list of text")
    solve_s = _float(root, "solve_s", "result", default=0.0)
    return RouteResult(
        _str(root, "method", "result"),
        tuple(routes),
        unassigned,
        _int(root, "total_travel_min", "result"),
        solve_s,
        tuple(notes),
    )


def _stops(item: Mapping[str, Any], where: str) -> list[object]:
    stops = _get(item, "stops", where)
    if not isinstance(stops, list):
        raise InstanceError(f"{where}.stops: expected a list, got {type(stops).__name__}")
    return stops


def _time(item: Mapping[str, Any], key: str, where: str) -> int:
    return parse_time(_get(item, key, where), f"{where}.{key}")
