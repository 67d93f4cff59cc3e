"""Confidential SMART apps exchange their code with a client secret (symmetric) or a signed client assertion
(asymmetric); the token endpoint is for apps, not browsers' sessions, so it needs no CSRF token."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.urls import reverse

from tests.plugins.smart import client_assertion, public_jwks, rsa_key

pytestmark = pytest.mark.django_db


def test_a_confidential_app_sends_its_secret(client, make_user, make_app, authorize, exchange):
    app = make_app("Server app", client_type="confidential", secret="the-app-secret-123")
    client.force_login(make_user("Nurse"))
    flow = authorize(app, "user/*.rs")
    basic = base64.b64encode(f"{app.client_id}:the-app-secret-123".encode()).decode()

    without = exchange(app, flow["code"], flow["verifier"])
    with_secret = exchange(
        app, flow["code"], flow["verifier"], headers={"HTTP_AUTHORIZATION": f"Basic {basic}"}
    )

    assert without.status_code == 401
    assert with_secret.status_code == 200, with_secret.data


def test_an_asymmetric_app_signs_a_client_assertion(client, make_user, make_app, authorize, exchange):
    key = rsa_key()
    app = make_app("Keyed app", client_type="confidential", jwks=public_jwks(key))
    client.force_login(make_user("Nurse"))
    flow = authorize(app, "user/*.rs")

    token = exchange(
        app,
        flow["code"],
        flow["verifier"],
        client_assertion_type="urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion=client_assertion(key, app.client_id),
    )

    assert token.status_code == 200, token.data


def test_the_token_and_revoke_endpoints_need_no_csrf_token(make_app):
    strict = Client(enforce_csrf_checks=True)

    token = strict.post(reverse("smart:token"), {"grant_type": "authorization_code", "code": "x"})
    revoke = strict.post(reverse("smart:revoke"), {"token": "x", "client_id": make_app().client_id})

    assert token.status_code in (400, 401)
    assert revoke.status_code == 200
