"""Accepting an invitation goes the one path from form to action: a refusal (a username already taken) shows
on the form with 422, and the invitation stays unused."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ivig.portal.models import Invitation

pytestmark = pytest.mark.django_db


def test_it_shows_a_taken_username_on_the_form_with_422(client, make_user, make_patient):
    nurse = make_user("Nurse", username="taken")
    client.force_login(nurse)
    invited = client.post(
        reverse("portal:invite", args=[make_patient(nurse).pk]),
        {"email": "parent@example.org", "relationship": "parent"},
    )
    link = re.search(r"/portal/join/[\w-]+/", invited.content.decode()).group(0)
    client.logout()

    response = client.post(
        link,
        {"username": "TAKEN", "password1": "a long pass phrase 42", "password2": "a long pass phrase 42"},
    )

    assert response.status_code == 422
    assert "That username is taken" in response.content.decode()
    assert not Invitation.objects.filter(used_at__isnull=False).exists()
