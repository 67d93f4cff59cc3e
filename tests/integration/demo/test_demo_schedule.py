"""Demo scheduling: featured chairs, a rota, the demo orders booked, a home nurse's visits; idempotent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ivig.accounts.models import User
from ivig.demo.home_routes import HOME_NURSES
from ivig.demo.load import load_demo
from ivig.demo.schedule import CENTRE_BOOKINGS, HOME_NURSE
from ivig.orders.models import TherapyOrder
from ivig.scheduling import actions
from ivig.scheduling.models import Appointment, Chair, NurseShift
from tests.plugins.scheduling import day_violations

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, list[tuple[int, str, object]]]:
    rows = list(Appointment.objects.order_by("pk").values_list("pk", "status", "start"))
    return Chair.objects.count(), NurseShift.objects.count(), User.objects.count(), rows


def test_it_books_the_demo_orders_and_changes_nothing_when_loaded_again(client):
    load_demo()
    first = _counts()
    load_demo()

    assert _counts() == first
    assert {f for c in Chair.objects.all() for f in c.features} == {"bed", "paediatric", "isolation"}
    centre = Appointment.objects.filter(home_visit=False, status="booked")
    bookable = {
        mrn
        for mrn, _, _ in CENTRE_BOOKINGS
        if TherapyOrder.objects.filter(patient__mrn=mrn, status__in=actions.BOOKABLE).exists()
    }
    assert bookable >= {"RB100006", "RB100012"}  # signed and verified; a CIDP order awaits approval
    assert {a.patient.mrn for a in centre} == bookable
    course = list(centre.filter(patient__mrn="RB100006").order_by("course_day"))
    assert [a.course_day for a in course] == [1, 2]
    assert (course[1].day - course[0].day).days == 1  # the ITP course on consecutive days
    assert course[0].chair.paediatric
    for day in {a.day for a in centre}:
        assert day_violations(day) == []
    home = Appointment.objects.filter(home_visit=True, status="booked")
    assert home.count() >= 2 and len({a.day for a in home}) == 1
    # Booked with the home nurse, then planned as routes over both demo home nurses.
    assert {a.nurse.username for a in home} <= {HOME_NURSE[0], *(n[0] for n in HOME_NURSES)}


def test_it_shows_the_booked_day_and_the_home_nurses_list(client):
    load_demo()
    client.force_login(User.objects.get(username="scheduler"))
    booked = Appointment.objects.filter(home_visit=False).first()
    day = client.get(reverse("scheduling:day"), {"date": booked.day.isoformat()})
    assert day.status_code == 200
    assert booked.patient.family_name.upper() in day.content.decode()
    visit = Appointment.objects.filter(home_visit=True).first()
    home = client.get(reverse("scheduling:home"), {"date": visit.day.isoformat(), "nurse": visit.nurse_id})
    assert home.status_code == 200
    text = home.content.decode()
    assert all(
        a.order.reference in text for a in Appointment.objects.filter(home_visit=True, nurse=visit.nurse)
    )


def test_it_plans_the_first_home_day_as_routes_the_page_shows(client):
    from ivig.scheduling.models import HomeDayPlan, RouteStop

    load_demo()
    plan = HomeDayPlan.objects.get()
    client.force_login(User.objects.get(username="scheduler"))

    page = client.get(reverse("scheduling:home_day"), {"date": plan.day.isoformat()}).content.decode()

    assert plan.routes.count() >= 1
    assert RouteStop.objects.filter(route__plan=plan).count() >= 2
    assert 'data-testid="route"' in page and 'data-testid="stale"' not in page
