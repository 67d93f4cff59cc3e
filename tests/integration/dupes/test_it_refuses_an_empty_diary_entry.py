"""A diary entry with no temperature, no symptom and no note is refused: it would count as a diary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.followup.actions import FollowUpError, record_entry, start_follow_up
from ivig.followup.models import DiaryEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up(make_user, make_dispensed_order, portal_family):
    parent, (child,) = portal_family("parent-empty", "Leo")
    order = make_dispensed_order(patient=child)
    ended = timezone.now() - timedelta(hours=25)
    return parent, start_follow_up(by=make_user("Nurse"), order=order, ended_at=ended)


def test_the_diary_page_refuses_an_empty_entry(client, follow_up):
    parent, follow_up = follow_up
    client.force_login(parent)
    url = reverse("followup:diary", args=[follow_up.pk])

    response = client.post(url, {"temp": "", "temp_unit": "C", "notes": "  "})

    assert response.status_code == 422 and "The entry is empty" in response.content.decode()
    assert not DiaryEntry.objects.exists()
    assert client.post(url, {"temp_unit": "C", "notes": "All well"}).status_code == 302


def test_the_action_refuses_an_empty_entry(follow_up):
    parent, follow_up = follow_up
    with pytest.raises(FollowUpError, match="empty"):
        record_entry(by=parent, follow_up=follow_up, temp=None, temp_unit="C", symptoms={}, notes=" ")
    assert not DiaryEntry.objects.exists()
