"""Demo home-infusion routes: homes for the patients visited at home, two home nurses with a base, and the
first home day planned as routes, so the routes page shows something.

Addresses and coordinates are invented (a made-up town; the points fall around a real city's latitude only so
that the distances look ordinary). Loading again changes nothing: homes already set, a nurse already with a
base and a day already planned are left as they are.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from ivig.demo.users import role_user
from ivig.patients import actions as patients
from ivig.patients.models import Patient
from ivig.scheduling.day import BookingError
from ivig.scheduling.models import Appointment, HomeDayPlan, HomeNurse, NurseShift
from ivig.scheduling.route_actions import optimise_home_day, set_visit_window

# MRN -> (address, latitude, longitude): the demo's home-site patients and the home-visit bookings.
HOMES: dict[str, tuple[str, str, str]] = {
    "RB100003": ("12 Willow Lane, Riverbend", "45.512300", "-73.571800"),
    "RB100004": ("88 Orchard Road, Riverbend", "45.538900", "-73.603400"),
    "RB100007": ("5 Heron Court, Riverbend", "45.497100", "-73.552600"),
    "RB100014": ("301 Mill Street, Riverbend", "45.546200", "-73.563900"),
    "RB100019": ("27 Quarry Hill, Riverbend", "45.525600", "-73.628100"),
}
# (username, given, family, base, latitude, longitude, paediatric, SCIG teaching)
HOME_NURSES = (
    (
        "nurse.home",
        "Sam",
        "Lindgren",
        "Home Infusion Team office, 40 Bridge St",
        "45.520000",
        "-73.590000",
        True,
        False,
    ),
    ("nurse.home2", "Ines", "Carvalho", "Her home, 9 Elm Row", "45.505000", "-73.615000", False, True),
)
HOME_SHIFT = (time(8, 0), time(18, 0))
# A family's window for one visit, so the plan has a window to keep: (MRN, earliest, latest).
WINDOWS = (("RB100007", time(10, 0), time(12, 0)),)


def load_demo_home_routes(users: dict[str, Any], today: date) -> int:
    """Add homes, home nurses' bases and shifts, and plan the first day with home visits; return how many
    routes were planned now."""
    for mrn, (address, lat, lon) in HOMES.items():
        patient = Patient.objects.filter(mrn=mrn, home_latitude__isnull=True).first()
        if patient is not None:
            patients.update_patient(
                by=users["Scheduler"],
                patient=patient,
                home_address=address,
                home_latitude=Decimal(lat),
                home_longitude=Decimal(lon),
            )
    working = _working_days(today)
    for username, given, family, base, lat, lon, paediatric, scig in HOME_NURSES:
        nurse = role_user(username, "Nurse", first_name=given, last_name=family)[0]
        HomeNurse.objects.get_or_create(
            nurse=nurse,
            defaults={
                "base": base,
                "base_latitude": Decimal(lat),
                "base_longitude": Decimal(lon),
                "paediatric": paediatric,
                "scig_teaching": scig,
            },
        )
        for day in working:
            NurseShift.objects.get_or_create(
                nurse=nurse,
                day=day,
                defaults={"start": HOME_SHIFT[0], "end": HOME_SHIFT[1], "home_visits": True},
            )
    visits = Appointment.objects.filter(home_visit=True, status=Appointment.Status.BOOKED, day__gt=today)
    first = visits.order_by("day").values_list("day", flat=True).first()
    if first is None or HomeDayPlan.objects.filter(day=first).exists():
        return 0
    try:
        for mrn, earliest, latest in WINDOWS:
            for visit in visits.filter(day=first, patient__mrn=mrn):
                set_visit_window(
                    by=users["Scheduler"],
                    appointment=visit,
                    earliest=earliest,
                    latest=latest,
                    needs_paediatric=visit.needs_paediatric,
                    needs_scig_teaching=visit.needs_scig_teaching,
                )
        plan = optimise_home_day(by=users["Scheduler"], day=first)
    except BookingError:
        return 0  # the demo goes as far as its data allows
    return plan.routes.count()


def _working_days(today: date) -> list[date]:
    days = (today + timedelta(days=i) for i in range(21))
    return [d for d in days if d.weekday() < 5]
