"""New recovery codes and removing the device each need a fresh code; every step is audited."""

from __future__ import annotations

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ivig.audit.labels import ACTION_LABELS
from ivig.audit.models import AuditEvent
from tests.integration.accounts.two_factor_helpers import (
    app_code,
    enrolled,
    give_code,
    password_sign_in,
    wrong_code,
)


def test_it_makes_new_recovery_codes_only_after_a_code(client, make_user):
    device, old_codes = enrolled(make_user("Nurse"))
    password_sign_in(client, "nurse")
    give_code(client, app_code(device))

    refused = client.post(reverse("two_factor:recovery_codes"), {"code": wrong_code(device)})
    assert "not right" in refused.content.decode()
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old_codes)
    device.throttle_reset()  # as if the second a wrong code locks for had passed

    response = client.post(reverse("two_factor:recovery_codes"), {"code": app_code(device)})

    new_codes = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new_codes) == 10 and not new_codes & set(old_codes)
    assert all(code in response.content.decode() for code in new_codes)


def test_it_removes_the_device_only_after_a_code(client, make_user):
    device, _ = enrolled(make_user("Nurse"))
    password_sign_in(client, "nurse")
    give_code(client, app_code(device))

    client.post(reverse("two_factor:remove"), {"code": wrong_code(device)})
    assert TOTPDevice.objects.filter(user__username="nurse").exists()
    device.throttle_reset()  # as if the second a wrong code locks for had passed

    client.post(reverse("two_factor:remove"), {"code": app_code(device)})
    assert not TOTPDevice.objects.filter(user__username="nurse").exists()
    assert not StaticToken.objects.exists()
    assert client.get(reverse("patients:list")).status_code == 200  # not required: password alone again


def test_it_sends_a_required_role_straight_back_to_enrol_after_removal(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Prescriber"]
    device, _ = enrolled(make_user("Prescriber"))
    password_sign_in(client, "prescriber")
    give_code(client, app_code(device))

    client.post(reverse("two_factor:remove"), {"code": app_code(device)})

    assert client.get(reverse("patients:list"))["Location"].startswith(reverse("two_factor:enrol"))


def test_it_writes_each_two_factor_step_to_the_audit_trail(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Prescriber"]
    device, codes = enrolled(make_user("Prescriber"))
    password_sign_in(client, "prescriber")
    give_code(client, wrong_code(device))
    settings.OTP_TOTP_THROTTLE_FACTOR = 3600
    give_code(client, wrong_code(device))  # locked by the first wrong code
    give_code(client, codes[0])  # the recovery codes have their own throttle
    client.post(reverse("two_factor:recovery_codes"), {"code": codes[1]})
    new_code = StaticToken.objects.values_list("token", flat=True).first()
    client.post(reverse("two_factor:remove"), {"code": new_code})

    recorded = set(AuditEvent.objects.filter(actor_username="prescriber").values_list("action", flat=True))

    expected = {
        "two_factor.enrol",
        "two_factor.code_refused",
        "two_factor.locked_out",
        "two_factor.verify",
        "two_factor.recovery_code_used",
        "two_factor.recovery_codes_new",
        "two_factor.device_remove",
    }
    assert expected <= recorded
    assert all(code in ACTION_LABELS for code in expected | {"two_factor.device_remove_by_admin"})
