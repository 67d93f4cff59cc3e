"""A home-infusion day as data: nurses with shifts, skills and a home base; visits with windows; the routes.

Times are minutes after midnight (`*_min`) on the instance's date; "HH:MM" in the JSON (routes_json.py).
A visit's `service_min` is the whole time the nurse spends in the home: the planned infusion plus set-up and
observation. A nurse leaves her base at or after her shift starts, drives to each visit in turn, starts it
within its window (`earliest_start_min` to `latest_start_min`; she waits if she is early), and is back at her
base by the end of her shift. A visit may need skills (e.g. "paediatric", "scig_teaching"): only a nurse with
all of them may do it.

A `fixed` visit is confirmed: when the day is planned again (after a cancellation or an addition) it stays
with its nurse and at its start minute.

Travel: a loaded matrix of whole minutes between location ids, or (offline) great-circle distance times a
road factor at an average speed (travel.py). A nurse's base and a visit are at the location named by their
`location`, which is their own id unless given (siblings treated at one address may share a location).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypeAlias

# Site decisions, not clinical facts: the defaults a site keeps until it sets its own (siteconfig or the
# instance's "travel" object). Road distance is taken as 1.3 times the straight line, driven at 40 km/h on
# average in town; a site with a road-network matrix (e.g. from OSRM) loads it instead.
DEFAULT_ROAD_FACTOR = 1.3
DEFAULT_SPEED_KMH = 40.0


@dataclass(frozen=True, slots=True)
class HomeNurse:
    id: str
    start_min: int  # shift start: she may leave her base from then
    end_min: int  # shift end: she is back at her base by then
    skills: frozenset[str]
    lat: float
    lon: float
    location: str = ""  # the base's id in a travel matrix; "" means the nurse's id

    @property
    def location_id(self) -> str:
        return self.location or self.id


@dataclass(frozen=True, slots=True)
class FixedVisit:
    """A confirmed visit: it keeps this nurse and this start when the day is planned again."""

    nurse: str
    start_min: int


@dataclass(frozen=True, slots=True)
class HomeVisit:
    id: str
    patient: str  # the patient's reference (a record id or MRN); text only, never used to plan
    lat: float
    lon: float
    earliest_start_min: int
    latest_start_min: int
    service_min: int  # planned infusion + set-up + observation
    skills: frozenset[str] = frozenset()
    fixed: FixedVisit | None = None
    location: str = ""  # the home's id in a travel matrix; "" means the visit's id

    @property
    def location_id(self) -> str:
        return self.location or self.id


Place: TypeAlias = HomeNurse | HomeVisit  # a base or a home


@dataclass(frozen=True, slots=True)
class TravelSettings:
    """How travel minutes are found: a loaded matrix when given, else great-circle x road factor / speed."""

    road_factor: float = DEFAULT_ROAD_FACTOR
    speed_kmh: float = DEFAULT_SPEED_KMH
    matrix_ids: tuple[str, ...] = ()
    matrix_min: tuple[tuple[int, ...], ...] = ()

    @property
    def has_matrix(self) -> bool:
        return bool(self.matrix_ids)


@dataclass(frozen=True, slots=True)
class RouteInstance:
    date: dt.date
    nurses: tuple[HomeNurse, ...]
    visits: tuple[HomeVisit, ...]
    travel: TravelSettings = field(default_factory=TravelSettings)

    def nurse(self, nurse_id: str) -> HomeNurse:
        for nurse in self.nurses:
            if nurse.id == nurse_id:
                return nurse
        raise KeyError(nurse_id)

    def visit(self, visit_id: str) -> HomeVisit:
        for visit in self.visits:
            if visit.id == visit_id:
                return visit
        raise KeyError(visit_id)


@dataclass(frozen=True, slots=True)
class RouteStop:
    visit: str
    arrive_min: int  # at the door
    start_min: int  # care starts (after any wait for the window)
    end_min: int  # start + service
    travel_min: int  # from the previous stop, or from the base for the first


@dataclass(frozen=True, slots=True)
class NurseRoute:
    nurse: str
    leave_min: int  # leaves her base
    stops: tuple[RouteStop, ...]
    return_travel_min: int  # from the last stop back to base
    return_min: int  # back at her base

    @property
    def travel_min(self) -> int:
        return sum(stop.travel_min for stop in self.stops) + self.return_travel_min

    @property
    def wait_min(self) -> int:
        return sum(stop.start_min - stop.arrive_min for stop in self.stops)


@dataclass(frozen=True, slots=True)
class UnassignedVisit:
    visit: str
    reason: str


@dataclass(frozen=True, slots=True)
class RouteResult:
    method: str  # "routing" (OR-Tools) or "nearest-neighbour"
    routes: tuple[NurseRoute, ...]  # one per nurse, in the instance's order (empty stops: a free day)
    unassigned: tuple[UnassignedVisit, ...]
    total_travel_min: int
    solve_s: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def scheduled(self) -> int:
        return sum(len(route.stops) for route in self.routes)

    def route(self, nurse_id: str) -> NurseRoute:
        for route in self.routes:
            if route.nurse == nurse_id:
                return route
        raise KeyError(nurse_id)

    def stop(self, visit_id: str) -> tuple[str, RouteStop]:
        """Return the nurse and the stop of a scheduled visit."""
        for route in self.routes:
            for stop in route.stops:
                if stop.visit == visit_id:
                    return route.nurse, stop
        raise KeyError(visit_id)
