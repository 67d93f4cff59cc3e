"""Booking an order: the core finds a slot without moving anyone; every day stays valid for the checker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.scheduling.day import BookingError
from ivig.scheduling.models import Appointment
from tests.drivers.scheduling import book, place
from tests.plugins.scheduling import day_violations

pytestmark = pytest.mark.django_db


def test_it_books_both_course_days_on_consecutive_days_and_keeps_the_checker_happy(
    client, make_user, make_order, centre
):
    order = make_order(make_user("Prescriber"))
    client.force_login(centre.scheduler)

    response = client.post(
        reverse("scheduling:book", args=[order.pk]),
        {"mode": "find", "first": centre.day.isoformat(), "start": "09:00", "needs_paediatric": "on"},
    )

    assert response.status_code == 302
    made = list(Appointment.objects.filter(order=order).order_by("course_day"))
    assert [a.day for a in made] == [centre.day, centre.day + timedelta(days=1)]
    assert all(a.chair == centre.chairs[0] for a in made)  # the only paediatric chair
    assert AuditEvent.objects.filter(action="appointment.book", target_id=str(made[0].pk)).exists()
    for a in made:
        assert day_violations(a.day) == []
    day_page = client.get(reverse("scheduling:day") + f"?date={centre.day.isoformat()}")
    assert order.patient.family_name.upper() in day_page.content.decode()


def test_it_fits_a_second_order_around_the_first_without_moving_it(make_user, make_order, centre):
    prescriber = make_user("Prescriber")
    first = place(centre, make_order(prescriber), paediatric=True)
    before = [(a.start, a.chair_id, a.nurse_id) for a in first]

    second = book(centre, make_order(prescriber), days=4, paediatric=True)

    assert [
        (a.start, a.chair_id, a.nurse_id) for a in Appointment.objects.filter(pk__in=[a.pk for a in first])
    ] == before
    # One paediatric chair, taken both days by the first course: the second starts once it is free.
    assert [a.day for a in second] == [centre.day + timedelta(days=2), centre.day + timedelta(days=3)]
    for offset in range(4):
        assert day_violations(centre.day + timedelta(days=offset)) == []


def test_it_refuses_a_hand_placed_clash_and_saves_nothing(client, make_user, make_order, centre):
    prescriber = make_user("Prescriber")
    place(centre, make_order(prescriber), chair=1)
    other = make_order(prescriber)
    client.force_login(centre.scheduler)

    response = client.post(
        reverse("scheduling:book", args=[other.pk]),
        {
            "mode": "hand",
            "first": centre.day.isoformat(),
            "start": "09:30",
            "chair": centre.chairs[1].pk,
            "nurse": centre.nurses[1].pk,
        },
    )

    assert response.status_code == 422
    assert "chair-overlap" in response.content.decode()
    assert not Appointment.objects.filter(order=other).exists()


def test_it_refuses_a_chair_without_the_needed_feature(make_user, make_order, centre):
    order = make_order(make_user("Prescriber"))

    with pytest.raises(BookingError, match="chair-features"):
        place(centre, order, bed=True)


def test_it_refuses_booking_an_order_twice(make_user, make_order, centre):
    order = make_order(make_user("Prescriber"))
    book(centre, order)

    with pytest.raises(BookingError, match="already booked"):
        book(centre, order)


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"mode": "find", "first": "not a date", "start": "09:00"}, "Enter a valid date"),
        ({"mode": "find", "first": "2000-01-01", "start": "09:00"}, "This day has passed"),
        ({"mode": "hand", "first": "{day}", "start": "09:00"}, "Choose a chair"),
        ({"mode": "find", "first": "{day}", "last": "{before}", "start": "09:00"}, "cannot be before"),
        ({"mode": "find", "first": "{day}", "start": "25:00"}, "Enter a valid time"),
    ],
)
def test_it_answers_bad_booking_input_with_form_errors(
    client, make_user, make_order, centre, data, field_error
):
    order = make_order(make_user("Prescriber"))
    client.force_login(centre.scheduler)
    values = {
        k: v.format(day=centre.day.isoformat(), before=(centre.day - timedelta(days=1)).isoformat())
        for k, v in data.items()
    }

    response = client.post(reverse("scheduling:book", args=[order.pk]), values)

    assert response.status_code == 422
    assert field_error in response.content.decode()
    assert not Appointment.objects.exists()
