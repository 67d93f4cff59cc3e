"""Moving, cancelling and no-shows: each checked, each audited; a clash on moving is refused."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.scheduling.day import day_state
from ivig.scheduling.models import Appointment
from tests.drivers.scheduling import place
from tests.plugins.scheduling import day_violations

pytestmark = pytest.mark.django_db


def test_it_moves_an_appointment_and_audits_before_and_after(client, make_user, make_order, centre):
    a = place(centre, make_order(make_user("Prescriber")))[0]
    client.force_login(centre.scheduler)

    response = client.post(
        reverse("scheduling:move", args=[a.pk]),
        {
            "day": centre.day.isoformat(),
            "start": "10:30",
            "chair": centre.chairs[1].pk,
            "nurse": centre.nurses[1].pk,
        },
    )

    assert response.status_code == 302
    a.refresh_from_db()
    assert (timezone.localtime(a.start).time(), a.chair, a.nurse) == (
        time(10, 30),
        centre.chairs[1],
        centre.nurses[1],
    )
    event = AuditEvent.objects.get(action="appointment.move", target_id=str(a.pk))
    assert (event.before["start"], event.after["start"], event.after["chair"]) == (
        "09:00",
        "10:30",
        "Chair 2",
    )
    assert day_violations(centre.day) == []


def test_it_refuses_a_move_onto_a_taken_chair(client, make_user, make_order, centre):
    prescriber = make_user("Prescriber")
    taken = place(centre, make_order(prescriber), chair=1, nurse=1)[0]
    a = place(centre, make_order(prescriber))[0]
    client.force_login(centre.scheduler)

    response = client.post(
        reverse("scheduling:move", args=[a.pk]),
        {
            "day": centre.day.isoformat(),
            "start": "10:00",
            "chair": taken.chair_id,
            "nurse": centre.nurses[0].pk,
        },
    )

    assert response.status_code == 422
    assert "chair-overlap" in response.content.decode()
    a.refresh_from_db()
    assert a.chair == centre.chairs[0]
    assert not AuditEvent.objects.filter(action="appointment.move").exists()


def test_it_cancels_with_a_reason_and_frees_the_chair(client, make_user, make_order, centre):
    prescriber = make_user("Prescriber")
    a = place(centre, make_order(prescriber), chair=1)[0]
    client.force_login(centre.scheduler)

    refused = client.post(reverse("scheduling:cancel", args=[a.pk]), {"reason": "  "})
    done = client.post(reverse("scheduling:cancel", args=[a.pk]), {"reason": "Patient has a fever"})

    assert refused.status_code == 422 and done.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.cancel_reason, a.cancelled_by) == (
        "cancelled",
        "Patient has a fever",
        centre.scheduler,
    )
    event = AuditEvent.objects.get(action="appointment.cancel")
    assert "Patient has a fever" in event.summary and event.before["status"] == "booked"
    # The chair is free again on that day (the course's second day stays booked).
    assert [a.pk for a in day_state(centre.day).appointments.values()] == []
    assert [a.course_day for a in day_state(centre.day + timedelta(days=1)).appointments.values()] == [2]


def test_it_records_a_no_show_only_once_the_time_has_come(client, make_user, make_order, centre):
    a = place(centre, make_order(make_user("Prescriber")))[0]
    client.force_login(centre.scheduler)

    early = client.post(reverse("scheduling:status", args=[a.pk]), {"status": "no_show"})
    Appointment.objects.filter(pk=a.pk).update(start=timezone.now() - timedelta(minutes=30))
    late = client.post(reverse("scheduling:status", args=[a.pk]), {"status": "no_show"})
    again = client.post(reverse("scheduling:status", args=[a.pk]), {"status": "arrived"})

    assert (early.status_code, late.status_code, again.status_code) == (400, 302, 400)
    a.refresh_from_db()
    assert a.status == "no_show"
    assert AuditEvent.objects.filter(action="appointment.no_show", target_id=str(a.pk)).count() == 1


def test_it_optimises_the_day_only_on_confirmation_and_keeps_started_ones(
    client, make_user, make_order, centre
):
    prescriber = make_user("Prescriber")
    started = place(centre, make_order(prescriber), start=time(8, 0))[0]
    Appointment.objects.filter(pk=started.pk).update(status="started")
    late = place(centre, make_order(prescriber), chair=1, nurse=1, start=time(12, 0))[0]
    client.force_login(centre.scheduler)
    url = reverse("scheduling:optimise")

    proposal = client.get(url, {"date": centre.day.isoformat()})

    assert proposal.status_code == 200
    late.refresh_from_db()
    assert timezone.localtime(late.start).time() == time(12, 0)  # nothing applied yet
    figures = proposal.content.decode()
    assert "Length of day" in figures
    applied = client.post(
        url,
        {
            "date": centre.day.isoformat(),
            "fingerprint": proposal.context["p"].fingerprint,
            "confirm": "apply",
        },
    )
    assert applied.status_code == 302
    late.refresh_from_db()
    started.refresh_from_db()
    assert timezone.localtime(late.start).time() == time(8, 0)  # preferred 12:00, but the day is shorter
    assert timezone.localtime(started.start).time() == time(8, 0) and started.chair == centre.chairs[0]
    assert AuditEvent.objects.filter(action="appointment.optimise", target_id=str(late.pk)).exists()
    assert day_violations(centre.day) == []
