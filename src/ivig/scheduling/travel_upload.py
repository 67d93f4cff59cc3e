"""Read a travel-time matrix a site uploads (CSV or JSON), with errors that say where the file is wrong.

Accepted:

- CSV with the header `from_lat,from_lon,to_lat,to_lon,minutes`: one row per ordered pair of places; every
  pair of different places must be there (a place to itself is 0 and may be left out).
- JSON `{"points": [[lat, lon], ...], "minutes": [[...], ...]}`: minutes[i][j] from point i to point j.
- JSON as an OSRM `table` service answers: `durations` in seconds, `sources` and `destinations` the same
  places, each with `location` [lon, lat] (OSRM's order).

Fractions of a minute are rounded up. The square shape, the zero diagonal and non-negative times are the
clinical core's own matrix rules (`ivig.clinical.scheduling.travel.check_matrix`).
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from typing import Any

from ivig.clinical.scheduling import InstanceError
from ivig.clinical.scheduling.travel import check_matrix
from ivig.lib.refusals import ActionRefused

MAX_BYTES = 5_000_000
MAX_PLACES = 2000
CSV_HEADER = ("from_lat", "from_lon", "to_lat", "to_lon", "minutes")
DIGITS = 6  # places are told apart to 6 decimals of a degree (about 0.1 m)


class TravelMatrixError(ActionRefused):
    """The file is not a travel matrix we can use; the message says where and why."""


@dataclass(frozen=True)
class ParsedMatrix:
    points: list[list[float]]
    minutes: list[list[int]]


def parse_matrix(name: str, data: bytes) -> ParsedMatrix:
    """Parse an uploaded file by its name's ending (.csv or .json)."""
    if len(data) > MAX_BYTES:
        raise TravelMatrixError(f"The file is larger than {MAX_BYTES // 1_000_000} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TravelMatrixError("The file is not UTF-8 text.") from None
    lowered = name.lower()
    if lowered.endswith(".csv"):
        parsed = _from_csv(text)
    elif lowered.endswith(".json"):
        parsed = _from_json(text)
    else:
        raise TravelMatrixError("Upload a .csv or a .json file.")
    if len(parsed.points) < 2:
        raise TravelMatrixError("A travel matrix needs at least two places.")
    if len(parsed.points) > MAX_PLACES:
        raise TravelMatrixError(f"At most {MAX_PLACES} places (this file has {len(parsed.points)}).")
    try:
        check_matrix([str(i) for i in range(len(parsed.points))], parsed.minutes)
    except InstanceError as error:
        raise TravelMatrixError(f"The matrix is not usable: {error}") from None
    return parsed


def _coordinate(value: Any, where: str, limit: int) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TravelMatrixError(f"{where}: {value!r} is not a number of degrees.") from None
    if not math.isfinite(number) or abs(number) > limit:
        raise TravelMatrixError(f"{where}: {value!r} is outside -{limit} to {limit} degrees.")
    return round(number, DIGITS)


def _minutes(value: Any, where: str, per_minute: float = 1.0) -> int:
    if value is None:
        raise TravelMatrixError(
            f"{where}: no travel time (a routing server leaves it empty when no road links them)."
        )
    if isinstance(value, bool):
        raise TravelMatrixError(f"{where}: {value!r} is not a number of minutes.")
    try:
        number = float(value) / per_minute
    except (TypeError, ValueError):
        raise TravelMatrixError(f"{where}: {value!r} is not a number of minutes.") from None
    if not math.isfinite(number) or number < 0:
        raise TravelMatrixError(f"{where}: {value!r} is not a travel time (>= 0 and finite).")
    return math.ceil(round(number, 6))


def _from_csv(text: str) -> ParsedMatrix:
    rows = csv.reader(io.StringIO(text))
    header = tuple(cell.strip().lower() for cell in next(rows, []))
    if header != CSV_HEADER:
        raise TravelMatrixError(f"Line 1 must be the header {','.join(CSV_HEADER)}.")
    index: dict[tuple[float, float], int] = {}
    times: dict[tuple[int, int], int] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(CSV_HEADER):
            raise TravelMatrixError(f"Line {line}: {len(row)} values, expected {len(CSV_HEADER)}.")
        where = f"Line {line}"
        start = (_coordinate(row[0], where, 90), _coordinate(row[1], where, 180))
        end = (_coordinate(row[2], where, 90), _coordinate(row[3], where, 180))
        i, j = index.setdefault(start, len(index)), index.setdefault(end, len(index))
        if (i, j) in times:
            raise TravelMatrixError(f"{where}: this pair of places is listed twice.")
        times[(i, j)] = _minutes(row[4], where)
    points = list(index)
    missing = [
        (a, b) for a in range(len(points)) for b in range(len(points)) if a != b and (a, b) not in times
    ]
    if missing:
        shown = "; ".join(f"{points[a]} to {points[b]}" for a, b in missing[:3])
        raise TravelMatrixError(f"{len(missing)} pair(s) of places have no time, e.g. {shown}.")
    minutes = [[times.get((a, b), 0) for b in range(len(points))] for a in range(len(points))]
    return ParsedMatrix([list(p) for p in points], minutes)


def _from_json(text: str) -> ParsedMatrix:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TravelMatrixError(
            f"Not JSON: line {error.lineno}, column {error.colno}: {error.msg}."
        ) from None
    if not isinstance(data, dict):
        raise TravelMatrixError("The JSON must be an object with points and minutes (or OSRM's durations).")
    if "durations" in data:
        return _from_osrm(data)
    points, rows = data.get("points"), data.get("minutes")
    if not isinstance(points, list) or not isinstance(rows, list):
        raise TravelMatrixError(
            'The JSON needs "points" ([[lat, lon], ...]) and "minutes" (rows of minutes).'
        )
    places = []
    for i, point in enumerate(points):
        if not isinstance(point, list) or len(point) != 2:
            raise TravelMatrixError(f"points[{i}] must be [latitude, longitude].")
        places.append([_coordinate(point[0], f"points[{i}]", 90), _coordinate(point[1], f"points[{i}]", 180)])
    return ParsedMatrix(places, _rows(rows, "minutes", 1.0))


def _from_osrm(data: dict[str, Any]) -> ParsedMatrix:
    sources, destinations = data.get("sources"), data.get("destinations")
    if not isinstance(sources, list) or sources != destinations:
        raise TravelMatrixError("An OSRM table must have the same places as sources and destinations.")
    places = []
    for i, source in enumerate(sources):
        location = source.get("location") if isinstance(source, dict) else None
        if not isinstance(location, list) or len(location) != 2:
            raise TravelMatrixError(f"sources[{i}].location must be [longitude, latitude].")
        where = f"sources[{i}]"
        places.append([_coordinate(location[1], where, 90), _coordinate(location[0], where, 180)])
    return ParsedMatrix(places, _rows(data["durations"], "durations", 60.0))


def _rows(rows: Any, name: str, per_minute: float) -> list[list[int]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise TravelMatrixError(f'"{name}" must be a list of rows.')
    return [
        [_minutes(value, f"{name}[{i}][{j}]", per_minute) for j, value in enumerate(row)]
        for i, row in enumerate(rows)
    ]
