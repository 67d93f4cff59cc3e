"""A past day's schedule opens read-only: it shows what happened, offers no booking, and refuses changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from ivig.scheduling.models import Appointment
from tests.drivers.scheduling import past_appointment

pytestmark = pytest.mark.django_db


def test_it_opens_a_past_day_read_only(client, make_user, make_order, centre):
    a = past_appointment(centre, make_order(make_user("Prescriber")))
    client.force_login(centre.scheduler)

    response = client.get(reverse("scheduling:day"), {"date": a.day.isoformat()})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="past-day"' in html
    assert str(a.patient) in html
    assert reverse("scheduling:to_book") not in html
    assert reverse("scheduling:optimise") not in html


def test_it_still_offers_booking_on_a_day_to_come(client, centre):
    client.force_login(centre.scheduler)

    html = client.get(reverse("scheduling:day"), {"date": centre.day.isoformat()}).content.decode()

    assert 'data-testid="past-day"' not in html
    assert reverse("scheduling:to_book") in html


def test_it_refuses_to_move_or_cancel_on_a_past_day(client, make_user, make_order, centre):
    a = past_appointment(centre, make_order(make_user("Prescriber")))
    client.force_login(centre.scheduler)

    page = client.get(reverse("scheduling:appointment", args=[a.pk])).content.decode()
    moved = client.post(
        reverse("scheduling:move", args=[a.pk]),
        {
            "day": centre.day.isoformat(),
            "start": "10:00",
            "chair": centre.chairs[1].pk,
            "nurse": centre.nurses[1].pk,
        },
    )
    cancelled = client.post(reverse("scheduling:cancel", args=[a.pk]), {"reason": "tidying up"})

    assert reverse("scheduling:move", args=[a.pk]) not in page
    assert (moved.status_code, cancelled.status_code) == (422, 422)
    assert "This day has passed" in moved.content.decode()
    a.refresh_from_db()
    assert (a.day, a.status, a.chair) == (
        centre.day - timedelta(days=2),
        Appointment.Status.BOOKED,
        centre.chairs[0],
    )


def test_it_refuses_to_optimise_a_past_day(client, make_user, make_order, centre):
    a = past_appointment(centre, make_order(make_user("Prescriber")))
    client.force_login(centre.scheduler)

    response = client.post(
        reverse("scheduling:optimise"), {"date": a.day.isoformat(), "confirm": "apply"}, follow=True
    )

    assert "A past day cannot be optimised." in response.content.decode()
