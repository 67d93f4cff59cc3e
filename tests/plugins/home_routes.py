"""A small home-infusion team for the route tests: two nurses on a home shift (07:00-21:00) tomorrow, each
with a base, and four patients with homes in one town, each booked for a one-day home visit."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

BASES = [(Decimal("45.500000"), Decimal("-73.570000")), (Decimal("45.520000"), Decimal("-73.600000"))]
NURSE_NAMES = [("Nadia", "Berg"), ("Olu", "Reyes")]
HOMES = [
    ("Amara", Decimal("45.510000"), Decimal("-73.560000")),
    ("Bruno", Decimal("45.530000"), Decimal("-73.580000")),
    ("Chloe", Decimal("45.490000"), Decimal("-73.610000")),
    ("Dylan", Decimal("45.540000"), Decimal("-73.550000")),
]


# Maintenance immunoglobulin for primary immunodeficiency, one day every four weeks (like the demo's).
MAINTENANCE: dict[str, Any] = {
    "regimen": "pi",
    "dose_g_per_kg": Decimal("0.4"),
    "days": None,
    "repeat_interval_weeks": 4,
    "labs": {"igg": {"value": "4.2", "taken_on": date.today().isoformat()}},
    "screening": {},
    "justification": "Maintenance at home",
}


@pytest.fixture
def home_team(db: None, make_user: Any, make_patient: Any, make_order: Any, settings: Any) -> Any:
    from ivig.patients.models import Patient
    from ivig.scheduling import actions
    from ivig.scheduling.models import HomeNurse
    from tests.factories.scheduling import NurseShiftFactory

    settings.IVIG_SCHEDULING_TIME_LIMIT_S = 1.0
    day = date.today() + timedelta(days=1)
    prescriber, scheduler = make_user("Prescriber"), make_user("Scheduler")
    nurses = [make_user("Nurse", username="homenurse1"), make_user("Nurse", username="homenurse2")]
    for nurse, (given, family) in zip(nurses, NURSE_NAMES, strict=True):
        nurse.first_name, nurse.last_name = given, family
        nurse.save()
    for i, (nurse, (lat, lon)) in enumerate(zip(nurses, BASES, strict=True)):
        NurseShiftFactory(nurse=nurse, day=day, start=time(7), end=time(21), home_visits=True)
        HomeNurse.objects.create(
            nurse=nurse, base=f"Base {i + 1}", base_latitude=lat, base_longitude=lon, paediatric=True
        )
    visits = []
    for i, (name, lat, lon) in enumerate(HOMES):
        patient = make_patient(prescriber, family_name=name, mrn=f"H{i + 1:05d}")
        Patient.objects.filter(pk=patient.pk).update(
            home_address=f"{i + 1} Rue {name}", home_latitude=lat, home_longitude=lon
        )
        order = make_order(prescriber, patient=patient, **MAINTENANCE)
        visits += actions.book_home_visits(
            by=scheduler, order=order, first=day, start=time(7 + 4 * (i // 2)), nurse=nurses[i % 2]
        )
    return SimpleNamespace(day=day, nurses=nurses, scheduler=scheduler, prescriber=prescriber, visits=visits)
