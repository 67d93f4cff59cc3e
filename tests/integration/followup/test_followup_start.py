"""Starting the 72-hour follow-up: the flowsheet's entry point and the staff page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.followup.actions import FollowUpError, start_follow_up
from ivig.followup.models import FollowUp


def test_it_starts_one_follow_up_per_infusion_end_and_again_returns_it(make_user, make_dispensed_order):
    nurse = make_user("Nurse")
    order = make_dispensed_order()
    ended_at = timezone.now() - timedelta(hours=1)

    first = start_follow_up(by=nurse, order=order, ended_at=ended_at)
    again = start_follow_up(by=nurse, order=order, ended_at=ended_at)

    assert first.pk == again.pk
    assert first.patient == order.patient
    assert FollowUp.objects.count() == 1
    assert AuditEvent.objects.filter(action="followup.start").count() == 1


def test_it_refuses_an_order_not_yet_dispensed(make_user, make_order):
    prescriber = make_user("Prescriber")
    order = make_order(prescriber)

    with pytest.raises(FollowUpError, match="dispensed"):
        start_follow_up(by=prescriber, order=order, ended_at=timezone.now())
    assert not FollowUp.objects.exists()


def test_it_lets_a_nurse_start_one_from_the_order_page(client, make_user, make_dispensed_order):
    nurse = make_user("Nurse")
    order = make_dispensed_order()
    client.force_login(nurse)

    page = client.get(reverse("orders:detail", args=[order.pk]))
    assert reverse("followup:start", args=[order.pk]) in page.content.decode()
    future = client.post(
        reverse("followup:start", args=[order.pk]),
        {"ended_at": (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")},
    )
    response = client.post(
        reverse("followup:start", args=[order.pk]),
        {"ended_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")},
    )

    assert future.status_code == 422
    assert "cannot have ended in the future" in future.content.decode()
    follow_up = FollowUp.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:diary", args=[follow_up.pk])


def test_it_refuses_the_start_page_to_a_patient(client, make_user, make_dispensed_order):
    order = make_dispensed_order()
    client.force_login(make_user("Patient"))

    assert client.get(reverse("followup:start", args=[order.pk])).status_code == 403
