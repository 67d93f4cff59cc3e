"""Failed sign-ins count per username and per client address. Behind the site's proxy the address is taken
from the header the site names (IVIG_TRUSTED_PROXY_HEADER), never from one a client adds on its own; and
a shared address gets a larger allowance, so one office cannot lock every user out."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ivig.accounts import throttle
from ivig.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password, **headers):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.1",
        **headers,
    )


def test_it_records_the_address_the_trusted_proxy_header_gives(client, make_user, settings):
    settings.IVIG_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.IVIG_TRUSTED_PROXY_COUNT = 1
    make_user("Nurse")

    _sign_in(client, "nurse", "wrong", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")

    assert LoginFailure.objects.get().ip_address == "203.0.113.9"  # the proxy's entry, not the client's


def test_it_ignores_a_forwarded_header_the_site_does_not_trust(client, make_user, settings):
    settings.IVIG_TRUSTED_PROXY_HEADER = ""
    make_user("Nurse")

    _sign_in(client, "nurse", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert LoginFailure.objects.get().ip_address == "10.0.0.1"


def test_it_falls_back_to_the_connection_when_the_header_is_malformed(settings):
    settings.IVIG_TRUSTED_PROXY_HEADER = "X-Real-IP"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="not-an-address")

    assert throttle.client_address(request) == "10.0.0.1"


def test_one_users_failures_behind_the_shared_proxy_do_not_lock_another_user(client, make_user, settings):
    settings.IVIG_LOGIN_MAX_FAILURES = 3
    settings.IVIG_TRUSTED_PROXY_HEADER = ""  # every request comes from the proxy's one address
    make_user("Nurse")
    make_user("Pharmacist")
    for _ in range(5):
        _sign_in(client, "nurse", "wrong")

    response = _sign_in(client, "pharmacist", "correct-horse-battery")

    assert response.status_code == 302
    assert throttle.minutes_locked("nurse", "10.0.0.2") > 0  # the guessed account stays locked everywhere
