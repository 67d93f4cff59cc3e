"""A user whose role is not required and who has not turned it on signs in with the password alone."""

from __future__ import annotations

from django.urls import reverse

from tests.integration.accounts.two_factor_helpers import password_sign_in


def test_it_signs_a_nurse_in_without_a_code_when_only_pharmacists_need_one(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Pharmacist"]
    make_user("Nurse")
    password_sign_in(client, "nurse")

    assert client.get(reverse("patients:list")).status_code == 200
    html = client.get(reverse("web:whoami")).content.decode()
    assert "Two-factor sign-in" in html
    assert reverse("two_factor:enrol") in html  # may turn it on
