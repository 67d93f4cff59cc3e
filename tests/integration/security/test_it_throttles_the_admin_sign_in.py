"""The admin site's sign-in is under the staff sign-in's throttle: repeated wrong guesses lock it."""

from __future__ import annotations

import pytest

from ivig.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def test_it_locks_the_admin_sign_in_after_repeated_failures(client, make_user, settings):
    settings.IVIG_LOGIN_MAX_FAILURES = 3
    make_user("Admin", password="correct-horse-battery")
    for _ in range(3):
        client.post(LOGIN, {"username": "admin", "password": "wrong", "next": "/admin/"})

    response = client.post(
        LOGIN, {"username": "admin", "password": "correct-horse-battery", "next": "/admin/"}
    )

    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="admin").count() == 3
