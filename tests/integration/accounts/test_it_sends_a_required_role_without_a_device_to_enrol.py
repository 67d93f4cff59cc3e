"""A user in a required role with no device sets up an authenticator app before any page."""

from __future__ import annotations

from base64 import b32decode

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.integration.accounts.two_factor_helpers import app_code, password_sign_in


def test_it_sends_a_pharmacist_to_enrol_before_any_page(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Pharmacist"]
    make_user("Pharmacist")
    password_sign_in(client, "pharmacist")

    for page in (reverse("web:home"), reverse("patients:list"), reverse("web:whoami"), "/admin/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("two_factor:enrol") + "?next=")


def test_it_shows_the_qr_code_inline_and_the_key_in_text(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Pharmacist"]
    make_user("Pharmacist")
    password_sign_in(client, "pharmacist")

    html = client.get(reverse("two_factor:enrol")).content.decode()

    device = TOTPDevice.objects.get(user__username="pharmacist", confirmed=False)
    assert '<svg role="img" aria-label="QR code' in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]  # the CSP allows no inline style
    secret = html.split('id="secret">', 1)[1].split("<", 1)[0]
    assert b32decode(secret.replace(" ", "")) == device.bin_key


def test_it_activates_the_device_with_a_valid_code_and_shows_ten_recovery_codes_once(
    client, make_user, settings
):
    settings.IVIG_2FA_ROLES = ["Pharmacist"]
    make_user("Pharmacist")
    password_sign_in(client, "pharmacist")
    client.get(reverse("two_factor:enrol"))
    device = TOTPDevice.objects.get(user__username="pharmacist")

    response = client.post(reverse("two_factor:enrol"), {"code": app_code(device), "next": "/patients/"})

    assert response.status_code == 200
    html = response.content.decode()
    codes = list(
        StaticToken.objects.filter(device__user__username="pharmacist").values_list("token", flat=True)
    )
    assert len(codes) == 10
    assert all(code in html for code in codes)
    assert "shown only once" in html
    assert response["Cache-Control"].count("no-store") == 1
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("patients:list")).status_code == 200  # verified by the enrolment
    assert not any(code in client.get(reverse("web:whoami")).content.decode() for code in codes)


def test_it_refuses_a_wrong_code_at_enrolment(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Pharmacist"]
    make_user("Pharmacist")
    password_sign_in(client, "pharmacist")
    client.get(reverse("two_factor:enrol"))

    response = client.post(reverse("two_factor:enrol"), {"code": "000000"})

    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(reverse("patients:list")).status_code == 302


def test_it_lets_an_unverified_user_sign_out_and_reach_the_health_check(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Pharmacist"]
    make_user("Pharmacist")
    password_sign_in(client, "pharmacist")

    assert client.get(reverse("ops:healthz")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session
