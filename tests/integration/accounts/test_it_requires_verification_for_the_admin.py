"""The Django admin asks for the second factor too; an Admin removing another user's device is audited."""

from __future__ import annotations

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ivig.audit.models import AuditEvent
from tests.integration.accounts.two_factor_helpers import app_code, enrolled, give_code, password_sign_in


def test_it_asks_for_a_code_before_the_admin(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Admin"]
    device, _ = enrolled(make_user("Admin"))
    password_sign_in(client, "admin")

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor:verify") + "?next=%2Fadmin%2F"

    give_code(client, app_code(device), next_url="/admin/")
    assert client.get("/admin/").status_code == 200


def test_it_asks_for_a_code_after_the_admin_login_form(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Admin"]
    enrolled(make_user("Admin"))
    client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "correct-horse-battery"})

    response = client.get("/admin/accounts/user/")

    assert response["Location"].startswith(reverse("two_factor:verify"))


def test_it_audits_an_admin_removing_another_users_device(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Admin"]
    admin_device, _ = enrolled(make_user("Admin"))
    pharmacist = make_user("Pharmacist")
    enrolled(pharmacist)
    password_sign_in(client, "admin")
    give_code(client, app_code(admin_device))

    response = client.post(
        "/admin/accounts/user/",
        {"action": "remove_two_factor", "_selected_action": [pharmacist.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=pharmacist).exists()
    event = AuditEvent.objects.get(action="two_factor.device_remove_by_admin")
    assert (event.actor_username, event.target_id) == ("admin", str(pharmacist.pk))
