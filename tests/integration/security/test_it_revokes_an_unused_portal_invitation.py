"""Staff who may invite can revoke an unused invitation: its link stops working, the revoke is audited, and
a used invitation cannot be revoked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.portal.models import Invitation

pytestmark = pytest.mark.django_db


def _invite(client, patient):
    response = client.post(
        reverse("portal:invite", args=[patient.pk]), {"email": "parent@example.org", "relationship": "parent"}
    )
    return re.search(r"/portal/join/[\w-]+/", response.content.decode()).group(0)


def test_a_revoked_invitation_link_stops_working(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)
    link = _invite(client, patient)
    invitation = Invitation.objects.get()
    page = client.get(reverse("portal:invite", args=[patient.pk])).content.decode()
    revoke_url = reverse("portal:revoke_invitation", args=[patient.pk, invitation.pk])
    assert revoke_url in page  # the button

    response = client.post(revoke_url)

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.revoked_by == nurse
    event = AuditEvent.objects.get(action="portal.invitation_revoke")
    assert event.patient_id == patient.pk and event.actor_id == nurse.pk
    client.logout()
    joined = client.post(
        link, {"username": "parent", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"}
    )
    assert joined.status_code == 404


def test_a_used_invitation_cannot_be_revoked(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)
    link = _invite(client, patient)
    client.logout()
    client.post(
        link, {"username": "parent", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"}
    )
    client.logout()
    client.force_login(nurse)
    invitation = Invitation.objects.get()

    response = client.post(reverse("portal:revoke_invitation", args=[patient.pk, invitation.pk]), follow=True)

    assert "already been used" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_staff_who_may_not_invite_cannot_revoke(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)
    _invite(client, patient)
    client.force_login(make_user("Pharmacist"))

    response = client.post(
        reverse("portal:revoke_invitation", args=[patient.pk, Invitation.objects.get().pk])
    )

    assert response.status_code == 403
    assert Invitation.objects.get().revoked_at is None
