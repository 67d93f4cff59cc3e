"""A course's days stay on consecutive days: moving one day to another date moves them all, or nothing."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.scheduling import actions
from ivig.scheduling.models import Appointment
from tests.drivers.scheduling import place
from tests.plugins.scheduling import day_violations

pytestmark = pytest.mark.django_db


def _move(client, a, day, start="10:00", chair=None, nurse=None):
    return client.post(
        reverse("scheduling:move", args=[a.pk]),
        {
            "day": day.isoformat(),
            "start": start,
            "chair": (chair or a.chair).pk,
            "nurse": (nurse or a.nurse).pk,
        },
    )


def _days(order):
    return [
        (a.course_day, a.day, timezone.localtime(a.start).time())
        for a in Appointment.objects.filter(order=order).order_by("course_day")
    ]


def test_it_moves_the_whole_course_when_one_day_goes_to_another_date(client, make_user, make_order, centre):
    order = make_order(make_user("Prescriber"))
    first, second = place(centre, order)
    client.force_login(centre.scheduler)

    response = _move(client, first, centre.day + timedelta(days=1), start="10:00")

    assert response.status_code == 302
    later = centre.day + timedelta(days=1)
    assert _days(order) == [(1, later, time(10, 0)), (2, later + timedelta(days=1), time(9, 0))]
    moved = AuditEvent.objects.filter(action="appointment.move").values_list("target_id", flat=True)
    assert sorted(moved) == sorted([str(first.pk), str(second.pk)])
    for offset in range(3):
        assert day_violations(centre.day + timedelta(days=offset)) == []
    page = client.get(reverse("scheduling:appointment", args=[first.pk]))
    assert "1 more day(s) of its course" in page.content.decode()


def test_it_refuses_to_move_a_day_of_a_course_that_has_begun(client, make_user, make_order, centre):
    order = make_order(make_user("Prescriber"))
    first, second = place(centre, order)
    actions.set_status(by=centre.scheduler, appointment=first, status=Appointment.Status.ARRIVED)
    client.force_login(centre.scheduler)
    before = _days(order)

    response = _move(client, second, centre.day + timedelta(days=2))

    assert response.status_code == 422
    assert "course day 1 has already begun" in response.content.decode()
    assert _days(order) == before
    # Within its own date it still moves.
    assert _move(client, second, second.day, start="11:00").status_code == 302
    assert _days(order)[1] == (2, centre.day + timedelta(days=1), time(11, 0))


def test_it_moves_nothing_when_another_course_day_would_not_fit(client, make_user, make_order, centre):
    order = make_order(make_user("Prescriber"))
    first, _ = place(centre, order)
    client.force_login(centre.scheduler)
    before = _days(order)
    last_shift_day = centre.day + timedelta(days=3)  # the centre has shifts for four days only

    response = _move(client, first, last_shift_day)

    assert response.status_code == 422
    text = response.content.decode()
    assert "Course day 2 on" in text and "has no centre shift" in text
    assert _days(order) == before
    assert not AuditEvent.objects.filter(action="appointment.move").exists()
