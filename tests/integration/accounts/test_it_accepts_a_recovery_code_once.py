"""A recovery code stands in for the app once; used again, it is refused."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.integration.accounts.two_factor_helpers import enrolled, give_code, password_sign_in


def test_it_signs_in_with_a_recovery_code_once(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Pharmacist"]
    _, codes = enrolled(make_user("Pharmacist"))
    password_sign_in(client, "pharmacist")

    response = give_code(client, codes[0].upper(), next_url="/patients/")  # as typed from paper

    assert response["Location"] == "/patients/"
    assert "9 left" in client.get(reverse("patients:list")).content.decode()

    again = Client()
    password_sign_in(again, "pharmacist")
    refused = give_code(again, codes[0])
    assert "not right" in refused.content.decode()
    assert again.get(reverse("patients:list")).status_code == 302
