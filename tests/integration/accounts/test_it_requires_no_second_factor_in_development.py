"""Development (and so the demo) requires no second factor: the demo logins work as printed."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from ivig.config import env
from ivig.demo.load import demo_logins, load_demo


def test_it_requires_none_by_default_and_the_four_roles_in_production():
    assert env.load({}).strings("IVIG_2FA_ROLES") == []
    assert env.load({"IVIG_ENV": "production"}).strings("IVIG_2FA_ROLES") == [
        "Admin",
        "Pharmacist",
        "Prescriber",
        "Quality",
    ]
    assert settings.IVIG_2FA_ROLES == []


def test_it_signs_in_every_demo_login_without_a_code(db, client):
    load_demo()
    for _role, username, password in demo_logins():
        client.logout()
        assert client.login(username=username, password=password)
        response = client.get(reverse("web:home"))
        assert response.status_code in (200, 302), username
        if response.status_code == 302:
            assert "two-factor" not in response["Location"], username
