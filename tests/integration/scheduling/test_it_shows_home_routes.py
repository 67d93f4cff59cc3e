"""The home day and route pages: who may see and change them, what they show, and that they suit a phone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.drivers.home_routes import optimise

pytestmark = pytest.mark.django_db


def _route_url(team, nurse):
    return reverse("scheduling:route", args=[team.day.isoformat(), nurse.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("Scheduler", 200),
        ("Nurse", 200),
        ("Admin", 200),
        ("Prescriber", 403),
        ("Pharmacist", 403),
        ("Quality", 403),
        ("Approver", 403),
        ("Patient", 403),
    ],
)
def test_it_checks_the_role_on_the_home_day_and_route_pages(home_team, client, make_user, role, status):
    optimise(home_team)
    client.force_login(make_user(role, username=f"x-{role.lower()}"))

    day = client.get(reverse("scheduling:home_day"), {"date": home_team.day.isoformat()})
    route = client.get(_route_url(home_team, home_team.nurses[0]))

    assert (day.status_code, route.status_code) == (status, status)


@pytest.mark.parametrize("role", ["Nurse", "Prescriber", "Pharmacist", "Quality", "Patient"])
def test_it_lets_only_schedulers_and_admins_optimise_or_confirm(home_team, client, make_user, role):
    from ivig.scheduling.models import Appointment, HomeDayPlan

    client.force_login(make_user(role, username=f"x-{role.lower()}"))
    visit = home_team.visits[0]

    planned = client.post(reverse("scheduling:home_optimise"), {"date": home_team.day.isoformat()})
    confirmed = client.post(reverse("scheduling:visit_confirm", args=[visit.pk]), {"confirmed": "yes"})
    window = client.post(
        reverse("scheduling:visit_window", args=[visit.pk]), {f"w{visit.pk}-earliest": "09:00"}
    )

    assert (planned.status_code, confirmed.status_code, window.status_code) == (403, 403, 403)
    assert not HomeDayPlan.objects.exists()
    assert Appointment.objects.get(pk=visit.pk).confirmed_at is None


def test_it_optimises_from_the_home_day_page_and_lists_each_route(home_team, client):
    client.force_login(home_team.scheduler)

    response = client.post(
        reverse("scheduling:home_optimise"), {"date": home_team.day.isoformat()}, follow=True
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Home visits planned: 4 on 2 route(s)." in html
    assert html.count('data-testid="route"') == 2
    assert "Re-optimise the day" in html
    assert "Every visit is on a route." in html


def test_it_confirms_and_windows_a_visit_from_the_page(home_team, client):
    from ivig.scheduling.models import Appointment

    client.force_login(home_team.scheduler)
    visit = home_team.visits[1]

    client.post(reverse("scheduling:visit_confirm", args=[visit.pk]), {"confirmed": "yes"})
    refused = client.post(
        reverse("scheduling:visit_window", args=[visit.pk]),
        {f"w{visit.pk}-earliest": "15:00", f"w{visit.pk}-latest": "16:00"},
        follow=True,
    )
    client.post(reverse("scheduling:visit_confirm", args=[visit.pk]), {"confirmed": "no"})
    client.post(
        reverse("scheduling:visit_window", args=[visit.pk]),
        {
            f"w{visit.pk}-earliest": "15:00",
            f"w{visit.pk}-latest": "16:00",
            f"w{visit.pk}-needs_scig_teaching": "on",
        },
    )

    saved = Appointment.objects.get(pk=visit.pk)
    assert "confirmed outside that window" in refused.content.decode()
    assert (saved.window_earliest.hour, saved.window_latest.hour, saved.needs_scig_teaching) == (15, 16, True)
    assert saved.confirmed_at is None


def test_it_shows_a_nurses_route_in_order_with_a_sketch_and_a_way_into_the_flowsheet(home_team, client):
    from ivig.orders.models import TherapyOrder
    from ivig.scheduling.models import HomeRoute

    optimise(home_team)
    route = HomeRoute.objects.get(plan__day=home_team.day, nurse=home_team.nurses[0])
    first = route.stops.first().appointment
    TherapyOrder.objects.filter(pk=first.order_id).update(status=TherapyOrder.Status.DISPENSED)
    client.force_login(home_team.nurses[0])

    html = client.get(_route_url(home_team, home_team.nurses[0])).content.decode()
    link = re.search(r'data-testid="flowsheet" href="([^"]+)"', html)
    start = client.get(link.group(1).replace("&amp;", "&"))

    names = [s.appointment.patient.family_name.upper() for s in route.stops.all()]
    assert html.count('data-testid="stop"') == route.stops.count() >= 1
    assert [html.index(name) for name in names] == sorted(html.index(name) for name in names)
    assert 'data-testid="sketch"' in html and "<path" in html and "<circle" in html
    assert link.group(1).startswith(reverse("infusions:start", args=[first.order_id]))
    assert re.search(r'value="home"[^>]*checked|checked[^>]*value="home"', start.content.decode())
    assert first.patient.home_address.splitlines()[0] in start.content.decode()


def test_it_shows_no_flowsheet_button_to_a_scheduler(home_team, client):
    from ivig.orders.models import TherapyOrder

    optimise(home_team)
    TherapyOrder.objects.update(status=TherapyOrder.Status.DISPENSED)
    client.force_login(home_team.scheduler)

    html = client.get(_route_url(home_team, home_team.nurses[0])).content.decode()

    assert 'data-testid="flowsheet"' not in html


@pytest.mark.parametrize("page", ["home_day", "route"])
def test_it_serves_pages_that_fit_a_360px_phone_and_print(home_team, client, page):
    optimise(home_team)
    client.force_login(home_team.scheduler)
    url = (
        reverse("scheduling:home_day") + f"?date={home_team.day}"
        if page == "home_day"
        else _route_url(home_team, home_team.nurses[0])
    )

    html = client.get(url).content.decode()

    assert 'name="viewport" content="width=device-width' in html
    assert 'media="print"' in html  # the print stylesheet
    assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE)
    assert not re.search(r"<script(?![^>]*\ssrc=)", html, re.IGNORECASE)
    assert "<table" not in html  # lists, which wrap on a narrow screen, not wide tables
    for svg in re.findall(r"<svg[^>]*>", html):  # scales with the screen: a viewBox and no fixed width
        assert "viewBox" in svg and " width=" not in svg


def test_it_404s_a_route_that_does_not_exist(home_team, client):
    client.force_login(home_team.scheduler)

    assert client.get(_route_url(home_team, home_team.nurses[0])).status_code == 404
    assert client.get(reverse("scheduling:route", args=["2026-02-31", 1])).status_code == 404


def test_it_links_a_home_nurse_from_her_visit_list_to_her_route(home_team, client):
    optimise(home_team)
    nurse = home_team.nurses[1]
    client.force_login(nurse)

    html = client.get(reverse("scheduling:home"), {"date": home_team.day.isoformat()}).content.decode()

    assert f'href="{_route_url(home_team, nurse)}"' in html
    assert _route_url(home_team, home_team.nurses[0]) not in html
