"""A day of home visits as the clinical core's route planner sees it: nurses, visits and travel, in minutes.

Ids in the core's instance: nurses "N<user pk>", visits "A<appointment pk>"; locations "B<user pk>" for a
nurse's base and "P<patient pk>" for a home. A visit the planner cannot be given (the home has no
coordinates, no nurse is on a home shift) is left out with its reason, the same way the planner reports the
visits it could not fit.

Service time is the appointment's own length: the planned infusion plus set-up, observation and turnover
(`course_durations`). A visit's window is the family's earliest and latest start; blank ends take the home
shifts' bounds. A confirmed visit (or one under way) is fixed at its nurse and start.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from ivig import clock
from ivig.clinical.scheduling import FixedVisit, HomeVisit, RouteInstance, TravelSettings
from ivig.clinical.scheduling import HomeNurse as CoreNurse
from ivig.scheduling.day import BookingError, minutes_of, minutes_of_time
from ivig.scheduling.models import Appointment, HomeNurse, NurseShift, TravelMatrix
from ivig.siteconfig.models import SiteSettings

ESTIMATE = "estimate: straight line × {factor} at {speed} km/h (site settings)"
# Two places within this many degrees (about 10 m) are one place of a loaded matrix.
SAME_PLACE_DEG = 0.0001


def nurse_key(user_pk: int) -> str:
    return f"N{user_pk}"


def visit_key(appointment_pk: int) -> str:
    return f"A{appointment_pk}"


def is_fixed(a: Appointment) -> bool:
    """Kept at its nurse and start when the day is planned again: confirmed with the family, or under way."""
    return a.confirmed_at is not None or a.status in Appointment.FIXED


@dataclass
class HomeDay:
    """One day of home visits: the core's instance and the rows behind its ids."""

    day: date
    instance: RouteInstance
    visits: dict[str, Appointment]  # visit id -> appointment (the ones the planner is given)
    shifts: dict[str, NurseShift]  # nurse id -> home shift
    left_out: dict[str, str] = field(default_factory=dict)  # visit id -> why the planner was not given it
    notes: list[str] = field(default_factory=list)
    travel_source: str = ""

    @property
    def appointments(self) -> list[Appointment]:
        """Every active home visit of the day, planned or left out."""
        return sorted(visits_of(self.day), key=lambda a: (a.start, a.pk))


def visits_of(day: date) -> list[Appointment]:
    return list(
        Appointment.objects.filter(day=day, home_visit=True, status__in=Appointment.ACTIVE)
        .select_related("patient", "order", "nurse")
        .order_by("start", "pk")
    )


def fingerprint(day: date) -> str:
    """What the plan was made from: each home visit's status, nurse, start and window, and the home shifts."""
    rows = Appointment.objects.filter(day=day, home_visit=True).order_by("pk")
    text = "|".join(
        f"{a.pk}:{a.status}:{a.nurse_id}:{a.start.isoformat()}:{a.window_earliest}:{a.window_latest}:"
        f"{a.confirmed_at is not None}:{a.needs_paediatric}:{a.needs_scig_teaching}"
        for a in rows
    )
    shifts = NurseShift.objects.filter(day=day, home_visits=True).order_by("nurse_id")
    text += "#" + "|".join(f"{s.nurse_id}:{s.start}:{s.end}" for s in shifts)
    return hashlib.sha256(text.encode()).hexdigest()


def home_day(day: date) -> HomeDay:
    """Build the day's instance from the database (nothing is written)."""
    shifts = {
        nurse_key(s.nurse_id): s
        for s in NurseShift.objects.filter(day=day, home_visits=True).select_related("nurse")
    }
    profiles = {
        p.nurse_id: p for p in HomeNurse.objects.filter(nurse_id__in=[s.nurse_id for s in shifts.values()])
    }
    notes, nurses = [], []
    for key, shift in shifts.items():
        profile = profiles.get(shift.nurse_id)
        if profile is None:
            notes.append(
                f"{shift.nurse.display_name} has a home shift but no home base: an Admin adds it in the "
                "admin (Scheduling → Home-infusion nurses). She is not routed."
            )
            continue
        nurses.append(
            CoreNurse(
                key,
                minutes_of_time(shift.start),
                minutes_of_time(shift.end),
                frozenset(profile.skills),
                float(profile.base_latitude),
                float(profile.base_longitude),
                location=f"B{shift.nurse_id}",
            )
        )
    routed = {n.id for n in nurses}
    first = min((n.start_min for n in nurses), default=0)
    last = max((n.end_min for n in nurses), default=24 * 60)
    now = _now_min(day)
    visits, rows, left_out = [], {}, {}
    for a in visits_of(day):
        key = visit_key(a.pk)
        location = a.patient.home_location
        if location is None:
            left_out[key] = "the patient's home has no coordinates (add them on the patient's record)"
            continue
        fixed = None
        if is_fixed(a):
            if nurse_key(a.nurse_id) not in routed:
                left_out[key] = f"confirmed with {a.nurse.display_name}, who has no routable home shift"
                continue
            fixed = FixedVisit(nurse_key(a.nurse_id), minutes_of(a.start))
        earliest = minutes_of_time(a.window_earliest) if a.window_earliest else first
        latest = minutes_of_time(a.window_latest) if a.window_latest else max(last - a.duration_min, earliest)
        if fixed is None and now is not None:
            earliest = max(earliest, now)
            if latest < earliest:
                left_out[key] = "its latest start has passed"
                continue
        if fixed is not None:  # a confirmed time stands even when the window was changed afterwards
            earliest, latest = min(earliest, fixed.start_min), max(latest, fixed.start_min)
        visits.append(
            HomeVisit(
                key,
                f"P{a.patient_id}",
                location[0],
                location[1],
                earliest,
                latest,
                a.duration_min,
                frozenset(a.home_skills),
                fixed,
                location=f"P{a.patient_id}",
            )
        )
        rows[key] = a
    travel, source = travel_settings(
        [(n.location_id, n.lat, n.lon) for n in nurses] + [(v.location_id, v.lat, v.lon) for v in visits]
    )
    instance = RouteInstance(day, tuple(nurses), tuple(visits), travel)
    return HomeDay(day, instance, rows, shifts, left_out, notes, source)


def _now_min(day: date) -> int | None:
    """Today: the current minute (a visit not yet fixed cannot start in the past). Another day: None."""
    today = clock.localdate()
    if day < today:
        raise BookingError(f"{day:%Y-%m-%d} has passed: its home visits are not planned again.")
    if day > today:
        return None
    now = clock.localtime()
    return now.hour * 60 + now.minute


def travel_settings(places: list[tuple[str, float, float]]) -> tuple[TravelSettings, str]:
    """The site's travel model: the newest active loaded matrix covering every place, else the estimate."""
    site = SiteSettings.load()
    factor, speed = float(site.road_factor), float(site.travel_speed_km_per_h)
    estimate = ESTIMATE.format(factor=site.road_factor, speed=site.travel_speed_km_per_h)
    loaded = TravelMatrix.objects.filter(active=True).first()
    if loaded is None or not places:
        return TravelSettings(road_factor=factor, speed_kmh=speed), estimate
    index: dict[str, int] = {}
    for place, lat, lon in places:
        found = _point_index(loaded.points, lat, lon)
        if found is None:
            return (
                TravelSettings(road_factor=factor, speed_kmh=speed),
                f"{estimate}; the loaded matrix “{loaded.name}” lacks a place ({lat:.5f}, {lon:.5f})",
            )
        index[place] = found
    ids = tuple(index)
    minutes = tuple(tuple(int(loaded.minutes[index[a]][index[b]]) for b in ids) for a in ids)
    settings = TravelSettings(road_factor=factor, speed_kmh=speed, matrix_ids=ids, matrix_min=minutes)
    return settings, f"loaded matrix “{loaded.name}”"


def _point_index(points: list[list[float]], lat: float, lon: float) -> int | None:
    for i, (plat, plon) in enumerate(points):
        if abs(plat - lat) <= SAME_PLACE_DEG and abs(plon - lon) <= SAME_PLACE_DEG:
            return i
    return None
