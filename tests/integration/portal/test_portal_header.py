"""A patient's header: only portal links (no staff tools such as API tokens), and in the chosen language."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_patient_sees_only_portal_links(client, portal_family):
    parent, _ = portal_family("header1", "Ana")
    client.force_login(parent)

    html = client.get(reverse("portal:home")).content.decode()

    assert reverse("api_tokens:list") not in html
    assert "API tokens" not in html
    assert reverse("patients:mine") in html


def test_staff_still_see_their_api_tokens(client, make_user):
    client.force_login(make_user("Nurse"))

    assert reverse("api_tokens:list") in client.get(reverse("web:home")).content.decode()


def test_the_patients_header_is_in_spanish(client, portal_family):
    parent, _ = portal_family("header2", "Luz")
    client.force_login(parent)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})

    header = client.get(reverse("portal:home")).content.decode().split('<main id="main"')[0]

    assert "Mi expediente" in header and "Cerrar sesión" in header
    assert "My record" not in header and "Sign out" not in header
