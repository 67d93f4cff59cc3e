"""Seeded random home-infusion days for tests and the routes benchmark.

Homes are scattered over a city of about 18 km radius (most spread evenly, some in three suburbs), nurses'
bases within 12 km of the centre. The mix of visits and their lengths are assumptions of this generator, made
to look like a home-infusion agency's day, not clinical facts:

- IVIG infusions (about 1 in 25): the chair time of a real rate plan from the centre's generator (set-up,
  infusion, observation), to be started in the morning;
- SCIG teaching (about 1 in 6): 75-90 min, needs a nurse with the "scig_teaching" skill;
- SCIG supervision and checks (the rest): 30-45 min;
- a child's visit (about 1 in 8) needs a nurse with the "paediatric" skill.

Windows are what patients ask for: a morning, a midday, an afternoon or an "any time" window. Nurses work
8.5- to 10-hour shifts from 07:30; every third has the paediatric skill, every other SCIG teaching.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from ivig.clinical.scheduling.generator import _duration_min
from ivig.clinical.scheduling.route_model import HomeNurse, HomeVisit, RouteInstance, TravelSettings

CENTRE = (43.6532, -79.3832)  # a city centre; any would do
CITY_RADIUS_KM, BASE_RADIUS_KM = 18.0, 12.0
SUBURBS = ((10.0, 40.0), (13.0, 170.0), (9.0, 280.0))  # (km from the centre, bearing in degrees)
SHIFTS = ((7 * 60 + 30, 600), (8 * 60, 510), (8 * 60, 600), (8 * 60 + 30, 540))
WINDOWS = (  # (earliest, latest start) in minutes after midnight
    (8 * 60, 11 * 60),
    (10 * 60, 13 * 60),
    (12 * 60 + 30, 15 * 60),
    (8 * 60, 15 * 60),
)


def generate_home_day(visits: int, nurses: int, seed: int, date: dt.date | None = None) -> RouteInstance:
    """Return a day of `visits` home visits and `nurses` nurses; the same seed gives the same day."""
    rng = random.Random(seed)
    team = tuple(_nurse(rng, i) for i in range(nurses))
    day = tuple(_visit(rng, i) for i in range(visits))
    return RouteInstance(date or dt.date(2026, 12, 1), team, day, TravelSettings())


def _point(rng: random.Random, radius_km: float, around: tuple[float, float] = CENTRE) -> tuple[float, float]:
    distance = radius_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    return _move(around, distance, bearing)


def _move(start: tuple[float, float], km: float, bearing: float) -> tuple[float, float]:
    lat = start[0] + km / 111.2 * math.cos(bearing)
    lon = start[1] + km / (111.2 * math.cos(math.radians(start[0]))) * math.sin(bearing)
    return round(lat, 5), round(lon, 5)


def _nurse(rng: random.Random, index: int) -> HomeNurse:
    start, length = SHIFTS[index % len(SHIFTS)]
    skills = {"paediatric"} if index % 3 == 0 else set()
    if index % 2 == 0:
        skills.add("scig_teaching")
    lat, lon = _point(rng, BASE_RADIUS_KM)
    return HomeNurse(f"N{index + 1}", start, start + length, frozenset(skills), lat, lon)


def _visit(rng: random.Random, index: int) -> HomeVisit:
    if rng.random() < 0.3:
        km, degrees = rng.choice(SUBURBS)
        lat, lon = _point(rng, 3.0, _move(CENTRE, km, math.radians(degrees)))
    else:
        lat, lon = _point(rng, CITY_RADIUS_KM)
    child = rng.random() < 0.125
    kind = rng.random()
    skills = {"paediatric"} if child else set()
    if kind < 0.04:
        service = _duration_min(rng, child=child, first_infusion=False)
        earliest, latest = 8 * 60 + 30 * rng.randrange(3), 10 * 60
    else:
        if kind < 0.20:
            service = 5 * rng.randint(15, 18)
            skills.add("scig_teaching")
        else:
            service = 5 * rng.randint(6, 9)
        earliest, latest = rng.choice(WINDOWS)
    return HomeVisit(
        id=f"V{index + 1}",
        patient=f"P{index + 1:03d}",
        lat=lat,
        lon=lon,
        earliest_start_min=earliest,
        latest_start_min=latest,
        service_min=service,
        skills=frozenset(skills),
    )
