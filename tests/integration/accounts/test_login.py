"""Sign-in: argon2 hashes, throttled failures, idle timeout."""

from __future__ import annotations

import importlib

from django.urls import reverse

from ivig.accounts.models import LoginFailure


def _sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_hashes_passwords_with_argon2():
    settings_module = importlib.import_module("ivig.config.settings")

    assert settings_module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_it_signs_in_and_out(client, make_user):
    make_user("Nurse", password="correct-horse-battery")

    response = _sign_in(client, "nurse", "correct-horse-battery")
    assert response.status_code == 302
    assert client.get(reverse("patients:list")).status_code == 200

    client.post(reverse("accounts:logout"))
    assert client.get(reverse("patients:list")).status_code == 302


def test_it_locks_sign_in_after_repeated_failures(client, make_user, settings):
    settings.IVIG_LOGIN_MAX_FAILURES = 5
    make_user("Nurse", password="correct-horse-battery")
    for _ in range(5):
        assert _sign_in(client, "nurse", "wrong").status_code == 200

    response = _sign_in(client, "nurse", "correct-horse-battery")

    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_clears_failures_after_a_success(client, make_user):
    make_user("Nurse", password="correct-horse-battery")
    for _ in range(3):
        _sign_in(client, "nurse", "wrong")

    _sign_in(client, "nurse", "correct-horse-battery")

    assert LoginFailure.objects.filter(username="nurse").count() == 0


def test_it_lets_sign_in_again_after_the_window(client, make_user, settings):
    settings.IVIG_LOGIN_MAX_FAILURES = 2
    make_user("Nurse", password="correct-horse-battery")
    _sign_in(client, "nurse", "wrong")
    _sign_in(client, "nurse", "wrong")
    LoginFailure.objects.update(at=LoginFailure.objects.first().at.replace(year=2000))

    response = _sign_in(client, "nurse", "correct-horse-battery")

    assert response.status_code == 302
