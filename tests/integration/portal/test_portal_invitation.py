"""Staff invite a parent with a single-use, expiring link; a parent sees their children and nobody else."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ivig.portal.models import Invitation, PortalLink


def _invite(client, patient, email="parent@example.org"):
    response = client.post(
        reverse("portal:invite", args=[patient.pk]), {"email": email, "relationship": "parent"}
    )
    return re.search(r"/portal/join/[\w-]+/", response.content.decode()).group(0)


def test_a_parent_joins_once_and_sees_both_children_and_nobody_else(client, make_user, make_patient):
    nurse = make_user("Nurse")
    first = make_patient(nurse, given_name="First", family_name="Child")
    second = make_patient(nurse, given_name="Second", family_name="Child")
    stranger = make_patient(nurse, given_name="Stranger", family_name="Danger")
    client.force_login(nurse)
    link_one, link_two = _invite(client, first), _invite(client, second)
    client.logout()

    joined = client.post(
        link_one, {"username": "parent", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"}
    )
    added = client.post(link_two)  # signed in now: adds the second child
    reused = client.get(link_one)
    home = client.get(reverse("portal:home")).content.decode()

    assert joined.status_code == 302 and added.status_code == 302
    assert reused.status_code == 404
    assert "First Child" in home and "Second Child" in home and "Stranger" not in home
    assert client.get(reverse("patients:detail", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("portal:education", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("patients:mine")).url == reverse("portal:home")
    assert PortalLink.objects.filter(user__username="parent").count() == 2
    assert Invitation.objects.filter(used_at__isnull=False).count() == 2


def test_an_expired_invitation_is_refused(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)
    link = _invite(client, patient)
    client.logout()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.post(
        link, {"username": "late", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"}
    )

    assert response.status_code == 404
    assert "expired or has already been used" in response.content.decode()
    assert not PortalLink.objects.exists()


def test_a_bad_password_is_explained_and_uses_nothing(client, make_user, make_patient):
    nurse = make_user("Nurse")
    client.force_login(nurse)
    link = _invite(client, make_patient(nurse))
    client.logout()

    response = client.post(link, {"username": "p", "password1": "short", "password2": "short"})

    assert response.status_code == 422
    assert not Invitation.objects.filter(used_at__isnull=False).exists()


def test_only_staff_with_the_permission_may_invite(client, make_user, make_patient):
    patient = make_patient(make_user("Nurse"))
    client.force_login(make_user("Pharmacist"))

    assert client.get(reverse("portal:invite", args=[patient.pk])).status_code == 403
    assert not Invitation.objects.exists()
