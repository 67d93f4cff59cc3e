"""After the password, a user with an authenticator app gives its code before any page."""

from __future__ import annotations

from django.urls import reverse

from tests.integration.accounts.two_factor_helpers import app_code, enrolled, give_code, password_sign_in


def test_it_asks_for_a_code_and_then_opens_the_page_asked_for(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Prescriber"]
    device, _ = enrolled(make_user("Prescriber"))
    password_sign_in(client, "prescriber")

    response = client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor:verify") + "?next=%2Fpatients%2F"
    assert "Enter your code" in client.get(response["Location"]).content.decode()

    session_before = client.session.session_key
    response = give_code(client, app_code(device), next_url="/patients/")

    assert response.status_code == 302
    assert response["Location"] == "/patients/"
    assert client.get(reverse("patients:list")).status_code == 200
    assert client.session.session_key != session_before  # a new session id after the second factor


def test_it_asks_a_user_who_turned_it_on_voluntarily(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Prescriber"]
    device, _ = enrolled(make_user("Nurse"))  # Nurse is not a required role
    password_sign_in(client, "nurse")

    assert client.get(reverse("patients:list"))["Location"].startswith(reverse("two_factor:verify"))
    give_code(client, app_code(device))
    assert client.get(reverse("patients:list")).status_code == 200


def test_it_does_not_let_a_user_with_a_device_enrol_another_before_verifying(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Prescriber"]
    enrolled(make_user("Prescriber"))
    password_sign_in(client, "prescriber")

    response = client.get(reverse("two_factor:enrol"))

    assert response["Location"].startswith(reverse("two_factor:verify"))


def test_it_ignores_a_next_address_on_another_site(client, make_user, settings):
    settings.IVIG_2FA_ROLES = ["Prescriber"]
    device, _ = enrolled(make_user("Prescriber"))
    password_sign_in(client, "prescriber")

    response = give_code(client, app_code(device), next_url="https://evil.example/")

    assert response["Location"] == reverse("web:home")
