"""Travel minutes between the places of a home-infusion day: a loaded matrix, or great-circle distance.

Offline default: the great-circle (haversine) distance on a sphere of the Earth's mean radius, times the
site's road factor, at the site's average speed, rounded up to whole minutes. A site with a road-network
matrix (e.g. an OSRM `table` export converted to minutes) loads it instead; it must be square, hold whole
or fractional minutes >= 0 (fractions are rounded up), have zeros on its diagonal, and cover every location.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ivig.clinical.scheduling.instance import InstanceError
from ivig.clinical.scheduling.route_model import Place, RouteInstance, TravelSettings

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def drive_min(km: float, settings: TravelSettings) -> int:
    """Return whole minutes (rounded up) to drive a straight-line distance by the site's travel model."""
    return math.ceil(round(km * settings.road_factor / settings.speed_kmh * 60, 6))


@dataclass(frozen=True, slots=True)
class TravelMatrix:
    """Minutes from one location id to another."""

    ids: tuple[str, ...]
    minutes: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        check_matrix(self.ids, self.minutes)

    def index(self, location_id: str) -> int:
        return self.ids.index(location_id)

    def between(self, origin: str, destination: str) -> int:
        return self.minutes[self.ids.index(origin)][self.ids.index(destination)]


def check_matrix(ids: Sequence[str], minutes: Sequence[Sequence[float]]) -> None:
    """Raise InstanceError unless the matrix is square over unique ids, >= 0, with a zero diagonal."""
    if len(set(ids)) != len(ids):
        raise InstanceError("travel.matrix.ids: an id is listed twice")
    if len(minutes) != len(ids):
        raise InstanceError(f"travel.matrix.minutes: {len(minutes)} rows for {len(ids)} ids: not square")
    for i, row in enumerate(minutes):
        if len(row) != len(ids):
            raise InstanceError(
                f"travel.matrix.minutes[{i}]: {len(row)} columns for {len(ids)} ids; it must be square"
            )
        for j, value in enumerate(row):
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise InstanceError(f"travel.matrix.minutes[{i}][{j}]: expected minutes, got {value!r}")
            if value < 0:
                raise InstanceError(f"travel.matrix.minutes[{i}][{j}]: minutes cannot be negative ({value})")
        if row[i] != 0:
            raise InstanceError(f"travel.matrix.minutes[{i}][{i}]: from {ids[i]} to itself must be 0")


def location_ids(instance: RouteInstance) -> tuple[str, ...]:
    """Return each location id of the day once: the nurses' bases, then the visits' homes."""
    seen: dict[str, None] = {}
    items: list[Place] = [*instance.nurses, *instance.visits]
    for item in items:
        seen.setdefault(item.location_id, None)
    return tuple(seen)


def travel_matrix(instance: RouteInstance) -> TravelMatrix:
    """Return the day's travel minutes: the loaded matrix (checked to cover every place) or great-circle."""
    settings = instance.travel
    places = location_ids(instance)
    if settings.has_matrix:
        missing = [place for place in places if place not in settings.matrix_ids]
        if missing:
            raise InstanceError(f"travel.matrix does not cover the location(s) {', '.join(missing)}")
        loaded = TravelMatrix(settings.matrix_ids, settings.matrix_min)
        index = [loaded.index(place) for place in places]
        return TravelMatrix(places, tuple(tuple(loaded.minutes[i][j] for j in index) for i in index))
    if settings.road_factor < 1 or settings.speed_kmh <= 0:
        raise InstanceError("travel: road_factor must be >= 1 and speed_kmh > 0")
    where: dict[str, tuple[float, float]] = {}
    items: list[Place] = [*instance.nurses, *instance.visits]
    for item in items:
        where.setdefault(item.location_id, (item.lat, item.lon))
    rows = tuple(
        tuple(0 if a == b else drive_min(haversine_km(*where[a], *where[b]), settings) for b in places)
        for a in places
    )
    return TravelMatrix(places, rows)
