"""Schedulers book; nurses see the day and home visits; other roles do not reach the schedule."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse

from tests.drivers.scheduling import book

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "url_name", "status"),
    [
        ("Scheduler", "scheduling:day", 200),
        ("Nurse", "scheduling:day", 200),
        ("Admin", "scheduling:day", 200),
        ("Prescriber", "scheduling:day", 403),
        ("Patient", "scheduling:day", 403),
        ("Scheduler", "scheduling:to_book", 200),
        ("Nurse", "scheduling:to_book", 403),
        ("Pharmacist", "scheduling:to_book", 403),
        ("Nurse", "scheduling:home", 200),
        ("Quality", "scheduling:home", 403),
    ],
)
def test_it_checks_the_role_on_each_scheduling_page(client, make_user, role, url_name, status):
    client.force_login(make_user(role))

    assert client.get(reverse(url_name)).status_code == status


def test_it_does_not_let_a_nurse_book_or_cancel(client, make_user, make_order, centre):
    order = make_order(make_user("Prescriber"))
    client.force_login(make_user("Nurse", username="viewer"))

    response = client.post(
        reverse("scheduling:book", args=[order.pk]),
        {"mode": "find", "first": centre.day.isoformat(), "start": "09:00"},
    )

    assert response.status_code == 403
    assert not order.appointments.exists()


def test_it_shows_the_day_without_inline_styles_or_scripts(client, make_user, make_order, centre):

    book(centre, make_order(make_user("Prescriber")))
    client.force_login(centre.nurses[0])

    response = client.get(reverse("scheduling:day"), {"date": centre.day.isoformat()})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'class="appt status-booked"' in html and "polyline" in html
    assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE)
    assert "<style" not in html.lower()
    assert not re.search(r"<script(?![^>]*\ssrc=)", html, re.IGNORECASE)


def test_it_lists_a_home_nurses_visits(client, make_user, make_order, centre):
    from ivig.scheduling import actions
    from tests.factories.scheduling import NurseShiftFactory

    home_nurse = make_user("Nurse", username="homenurse")
    for offset in range(2):  # the course has two days
        NurseShiftFactory(
            nurse=home_nurse, day=centre.day + timedelta(days=offset), end=time(20), home_visits=True
        )
    order = make_order(make_user("Prescriber"))
    actions.book_home_visits(
        by=centre.scheduler, order=order, first=centre.day, start=time(9), nurse=home_nurse
    )
    client.force_login(home_nurse)

    response = client.get(reverse("scheduling:home"), {"date": centre.day.isoformat()})

    assert response.status_code == 200
    assert order.reference in response.content.decode()
    assert response.context["chosen"] == home_nurse


def test_it_answers_a_bad_date_with_400(client, centre):
    client.force_login(centre.scheduler)

    assert client.get(reverse("scheduling:day"), {"date": "2026-13-45"}).status_code == 400
