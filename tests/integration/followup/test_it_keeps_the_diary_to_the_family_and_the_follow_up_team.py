"""Only the patient's linked portal accounts and the follow-up team (Nurse, Quality, Admin) read and write the
after-infusion diary; scheduler, approver, pharmacist and prescriber cannot (issue 22, finding 4)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.followup.actions import DiaryRefused, record_entry, start_follow_up
from ivig.followup.models import DiaryEntry


@pytest.fixture
def diary(make_user, make_dispensed_order, portal_family):
    parent, (child,) = portal_family("diary-parent", "Leo")
    follow_up = start_follow_up(
        by=make_user("Nurse", username="starter"),
        order=make_dispensed_order(patient=child),
        ended_at=timezone.now() - timedelta(hours=30),
    )
    entry = record_entry(by=parent, follow_up=follow_up, temp=Decimal("37.0"), temp_unit="C", symptoms={})
    return follow_up, entry


@pytest.mark.parametrize("role", ["Scheduler", "Approver", "Pharmacist", "Prescriber"])
def test_it_refuses_the_diary_to_staff_outside_the_follow_up_team(client, make_user, diary, role):
    follow_up, entry = diary
    user = make_user(role, username=f"other-{role.lower()}")
    client.force_login(user)

    assert client.get(reverse("followup:diary", args=[follow_up.pk])).status_code == 403
    assert client.get(reverse("followup:entry", args=[entry.pk])).status_code == 403
    posted = client.post(reverse("followup:diary", args=[follow_up.pk]), {"temp": "102", "temp_unit": "F"})
    assert posted.status_code == 403
    with pytest.raises(DiaryRefused):
        record_entry(by=user, follow_up=follow_up, temp=Decimal("39.0"), temp_unit="C", symptoms={})
    assert DiaryEntry.objects.count() == 1


@pytest.mark.parametrize("role", ["Nurse", "Quality", "Admin"])
def test_it_opens_the_diary_to_the_follow_up_team(client, make_user, diary, role):
    follow_up, entry = diary
    client.force_login(make_user(role, username=f"team-{role.lower()}"))

    assert client.get(reverse("followup:diary", args=[follow_up.pk])).status_code == 200
    assert client.get(reverse("followup:entry", args=[entry.pk])).status_code == 200
    posted = client.post(
        reverse("followup:diary", args=[follow_up.pk]), {"temp": "38.3", "temp_unit": "C", "notes": role}
    )
    assert posted.status_code == 302
    assert DiaryEntry.objects.filter(notes=role).exists()


def test_it_refuses_a_portal_account_another_patients_diary_in_the_action(make_user, diary, portal_family):
    follow_up, _ = diary
    stranger, _ = portal_family("other-parent", "Zoe")

    with pytest.raises(DiaryRefused):
        record_entry(by=stranger, follow_up=follow_up, temp=Decimal("39.0"), temp_unit="C", symptoms={})
    assert DiaryEntry.objects.count() == 1
