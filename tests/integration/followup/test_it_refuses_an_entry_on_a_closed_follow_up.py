"""A follow-up closes 72 hours after the infusion: its diary takes no more entries (nobody triages them any
more), with a clear refusal, 422 on the page (issue 22, finding 4)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.followup.actions import DiaryRefused, record_entry, start_follow_up
from ivig.followup.models import DiaryEntry


def _closed_follow_up(make_user, make_dispensed_order, patient):
    return start_follow_up(
        by=make_user("Nurse"),
        order=make_dispensed_order(patient=patient),
        ended_at=timezone.now() - timedelta(hours=80),
    )


def test_it_refuses_a_parents_entry_on_a_closed_follow_up_with_422(
    client, make_user, make_dispensed_order, portal_family
):
    parent, (child,) = portal_family("late-parent", "Leo")
    follow_up = _closed_follow_up(make_user, make_dispensed_order, child)
    client.force_login(parent)

    shown = client.get(reverse("followup:diary", args=[follow_up.pk]))
    posted = client.post(
        reverse("followup:diary", args=[follow_up.pk]), {"temp": "102", "temp_unit": "F", "s_tiredness": "1"}
    )

    assert shown.status_code == 200
    assert "takes no more entries" in shown.content.decode()
    assert "Save and see what to do" not in shown.content.decode()
    assert posted.status_code == 422
    assert "takes no more entries" in posted.content.decode()
    assert not DiaryEntry.objects.exists()


def test_it_refuses_a_nurses_entry_on_a_closed_follow_up_in_the_action(
    make_user, make_dispensed_order, portal_family
):
    _, (child,) = portal_family("late-parent2", "Ana")
    follow_up = _closed_follow_up(make_user, make_dispensed_order, child)

    with pytest.raises(DiaryRefused, match="takes no more entries"):
        record_entry(
            by=make_user("Nurse", username="late-nurse"),
            follow_up=follow_up,
            temp=Decimal("38.5"),
            temp_unit="C",
            symptoms={},
        )
    assert not DiaryEntry.objects.exists()


def test_it_still_takes_an_entry_phoned_in_within_the_72_hours(
    make_user, make_dispensed_order, portal_family
):
    _, (child,) = portal_family("late-parent3", "Ivy")
    follow_up = _closed_follow_up(make_user, make_dispensed_order, child)

    entry = record_entry(
        by=make_user("Nurse", username="phone-nurse"),
        follow_up=follow_up,
        temp=Decimal("37.0"),
        temp_unit="C",
        symptoms={},
        notes="Phoned in at 24 hours",
        recorded_at=follow_up.ended_at + timedelta(hours=24),
    )
    assert entry.pk is not None
