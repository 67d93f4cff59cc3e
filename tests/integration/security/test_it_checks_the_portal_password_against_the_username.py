"""Accepting a portal invitation runs every password rule with the new user: a password close to the chosen
username (or the invitation's e-mail) is refused, as on any other password form."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ivig.accounts.models import User

pytestmark = pytest.mark.django_db


def _link(client, make_user, make_patient, email="parent@example.org"):
    nurse = make_user("Nurse")
    client.force_login(nurse)
    response = client.post(
        reverse("portal:invite", args=[make_patient(nurse).pk]), {"email": email, "relationship": "parent"}
    )
    client.logout()
    return re.search(r"/portal/join/[\w-]+/", response.content.decode()).group(0)


def test_it_refuses_a_password_like_the_username(client, make_user, make_patient):
    link = _link(client, make_user, make_patient)

    response = client.post(
        link, {"username": "margaretsmith", "password1": "margaretsmith!", "password2": "margaretsmith!"}
    )

    assert response.status_code == 422  # a refused form
    assert "too similar" in response.content.decode()
    assert not User.objects.filter(username="margaretsmith").exists()


def test_it_refuses_a_password_like_the_invitations_e_mail(client, make_user, make_patient):
    link = _link(client, make_user, make_patient, email="winterbottom@example.org")

    response = client.post(
        link, {"username": "parent", "password1": "winterbottom22", "password2": "winterbottom22"}
    )

    assert response.status_code == 422  # a refused form
    assert not User.objects.filter(username="parent").exists()
