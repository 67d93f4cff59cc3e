"""Wrong two-factor codes are refused; repeated ones lock the device for a while (django-otp's throttle)."""

from __future__ import annotations

from django.urls import reverse

from ivig.audit.models import AuditEvent
from tests.integration.accounts.two_factor_helpers import (
    app_code,
    enrolled,
    give_code,
    password_sign_in,
    wrong_code,
)


def test_it_refuses_a_wrong_code(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Quality"]
    device, _ = enrolled(make_user("Quality"))
    password_sign_in(client, "quality")

    response = give_code(client, wrong_code(device))

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("patients:list")).status_code == 302


def test_it_locks_after_a_wrong_code_and_refuses_even_the_right_one_and_says_so(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Quality"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute after the first wrong code, two after the second
    device, _ = enrolled(make_user("Quality"))
    password_sign_in(client, "quality")
    give_code(client, wrong_code(device))

    response = give_code(client, app_code(device))

    html = response.content.decode()
    assert "Too many wrong codes: two-factor sign-in is locked for" in html
    assert client.get(reverse("patients:list")).status_code == 302
    assert AuditEvent.objects.filter(action="two_factor.locked_out", actor_username="quality").exists()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # the refused try was not checked, so not counted
