"""Demo scheduling: chairs with features, nurse shifts for the coming weeks, and the demo orders booked.

The centre's orders are booked on the next working days by the same action the booking page uses (the
clinical core finds the slot), the home-site patients' orders as visits on a home-infusion nurse's day
list. Loading again adds only what is missing (shifts for days not yet covered); booked orders stay.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from ivig.accounts.models import User
from ivig.demo.orders import give_caution_reasons
from ivig.demo.users import role_user
from ivig.orders import actions as orders
from ivig.orders.actions import OrderError
from ivig.orders.models import TherapyOrder
from ivig.patients.models import Patient
from ivig.scheduling import actions
from ivig.scheduling.day import BookingError
from ivig.scheduling.models import Appointment, CentreHours, Chair, NurseShift

DEMO_CHAIRS: tuple[tuple[str, dict[str, bool]], ...] = (
    ("Chair 1", {}),
    ("Chair 2", {}),
    ("Chair 3", {}),
    ("Chair 4", {}),
    ("Chair 5", {}),
    ("Bed 1", {"bed": True}),
    ("Bed 2", {"bed": True}),
    ("Paediatric 1", {"paediatric": True}),
    ("Paediatric 2", {"paediatric": True, "bed": True}),
    ("Isolation 1", {"isolation": True, "bed": True}),
)
SHIFT_DAYS = 21  # three weeks of rota from today, working days only
# Extra nurses besides the demo "nurse" login: a second centre nurse and a home-infusion nurse (no login).
CENTRE_NURSE2 = ("nurse.centre", "Jo", "Adeyemi")
HOME_NURSE = ("nurse.home", "Sam", "Lindgren")
CENTRE_SHIFTS = {"nurse": (time(7, 30), time(17, 30)), CENTRE_NURSE2[0]: (time(9, 0), time(19, 0))}
HOME_SHIFT = (time(8, 0), time(18, 0))
# (MRN, preferred start, needs): the centre's demo orders.
CENTRE_BOOKINGS = (
    ("RB100006", time(8, 30), actions.Needs(paediatric=True)),
    ("RB100012", time(9, 0), actions.Needs()),
    ("RB100015", time(10, 0), actions.Needs(bed=True)),
)
# Home-site patients on maintenance immunoglobulin, booked as home visits on the first working day:
# (MRN, regimen, product, dose g/kg, labs); RB100019 continues the home treatment of her demo history.
HOME_ORDERS: tuple[tuple[str, str, str, str, dict[str, str]], ...] = (
    ("RB100004", "", "", "", {}),  # the demo's dispensed order
    ("RB100019", "pi", "gamunex-c", "0.4", {"igg": "4.2"}),
    ("RB100007", "pi", "privigen", "0.4", {"igg": "3.6"}),
)
CLOSED = (TherapyOrder.Status.COMPLETED, TherapyOrder.Status.CANCELLED, TherapyOrder.Status.REFUSED)
HOME_STARTS = (time(8, 30), time(11, 0), time(13, 30), time(15, 0))


def load_demo_schedule(users: dict[str, Any], today: date) -> int:
    """Add the demo centre's resources and bookings; return how many appointments were booked now."""
    CentreHours.load()
    for name, features in DEMO_CHAIRS:
        Chair.objects.get_or_create(name=name, defaults=features)
    nurses = {"nurse": users["Nurse"], CENTRE_NURSE2[0]: _nurse(*CENTRE_NURSE2)}
    home_nurse = _nurse(*HOME_NURSE)
    working = [d for d in (today + timedelta(days=i) for i in range(SHIFT_DAYS)) if d.weekday() < 5]
    for day in working:
        for username, (start, end) in CENTRE_SHIFTS.items():
            NurseShift.objects.get_or_create(
                nurse=nurses[username], day=day, defaults={"start": start, "end": end, "max_watching": 4}
            )
        NurseShift.objects.get_or_create(
            nurse=home_nurse,
            day=day,
            defaults={"start": HOME_SHIFT[0], "end": HOME_SHIFT[1], "home_visits": True},
        )
    upcoming = [d for d in working if d > today]
    if not upcoming:
        return 0
    first, last = upcoming[0], upcoming[-1]
    booked = 0
    for mrn, preferred, needs in CENTRE_BOOKINGS:
        order = _unbooked(mrn)
        if order is None:
            continue
        try:
            made = actions.book_order(
                by=users["Scheduler"], order=order, first=first, last=last, preferred=preferred, needs=needs
            )
        except BookingError:
            continue  # the demo goes as far as its rota allows
        booked += len(made)
    for mrn, regimen, product, dose, labs in HOME_ORDERS:
        order = _unbooked(mrn) or _home_order(users, mrn, (regimen, product, dose, labs), today)
        booked += _book_home(users["Scheduler"], order, first, home_nurse)
    return booked


def _nurse(username: str, given: str, family: str) -> User:
    return role_user(username, "Nurse", first_name=given, last_name=family)[0]


def _unbooked(mrn: str) -> TherapyOrder | None:
    return (
        TherapyOrder.objects.filter(patient__mrn=mrn, status__in=actions.BOOKABLE)
        .exclude(appointments__status__in=Appointment.ACTIVE)
        .exclude(appointments__status=Appointment.Status.COMPLETED)
        .first()
    )


def _home_order(
    users: dict[str, Any], mrn: str, therapy: tuple[str, str, str, dict[str, str]], today: date
) -> TherapyOrder | None:
    """Write and sign a maintenance order for a home-site patient with no open order (past ones closed)."""
    regimen, product, dose, labs = therapy
    patient = Patient.objects.filter(mrn=mrn).first()
    if not regimen or patient is None or patient.orders.exclude(status__in=CLOSED).exists():
        return None
    weight = patient.latest_weight()
    taken_on = (today - timedelta(days=7)).isoformat()
    fields: dict[str, Any] = {
        "regimen": regimen,
        "route": "iv",
        "product_slug": product,
        "dose_g_per_kg": Decimal(dose),
        "days": None,
        "repeat_interval_weeks": 4,
        "weight_kg": weight.weight_kg if weight else None,
        "height_cm": None,
        "labs": {kind: {"value": value, "taken_on": taken_on} for kind, value in labs.items()},
        "screening": {},
        "premedication": "",
        "justification": "Demo order: maintenance at home",
    }
    try:
        order = orders.save_draft(by=users["Prescriber"], patient=patient, fields=fields)
        order = give_caution_reasons(users["Prescriber"], order, today)
        signed: TherapyOrder = orders.sign_order(by=users["Prescriber"], order=order, today=today)
    except OrderError:
        return None
    return signed


def _book_home(by: User, order: TherapyOrder | None, day: date, nurse: User) -> int:
    """Book the order as a home visit at the first start on the nurse's day list that is free."""
    if order is None:
        return 0
    for start in HOME_STARTS:
        try:
            made = actions.book_home_visits(by=by, order=order, first=day, start=start, nurse=nurse)
        except BookingError:
            continue
        return len(made)
    return 0
