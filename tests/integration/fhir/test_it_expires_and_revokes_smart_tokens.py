"""SMART access tokens expire (IVIG_SMART_ACCESS_TOKEN_SECONDS) and can be revoked: either answers 401 with
an OperationOutcome and WWW-Authenticate, as does a token whose app or user is gone."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _assert_401(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="fhir", error="invalid_token"'
    assert response.data["issue"][0]["code"] == "login"


def test_an_expired_token_no_longer_reads(fhir, make_user, smart_token):
    nurse = make_user("Nurse")
    live = smart_token(nurse, "user/*.rs")
    expired = smart_token(nurse, "user/*.rs", expires_in=-1)

    assert fhir("Patient", live).status_code == 200
    _assert_401(fhir("Patient", expired))


def test_tokens_live_as_long_as_the_setting_says(client, settings, make_user, make_app, authorize, exchange):
    settings.IVIG_SMART_ACCESS_TOKEN_SECONDS = 120
    app = make_app()
    client.force_login(make_user("Nurse"))
    flow = authorize(app, "user/*.rs")

    assert exchange(app, flow["code"], flow["verifier"]).data["expires_in"] == 120


def test_a_token_the_app_revokes_no_longer_reads(client, fhir, make_user, make_app, authorize, exchange):
    app = make_app()
    client.force_login(make_user("Nurse"))
    flow = authorize(app, "user/*.rs offline_access")
    tokens = exchange(app, flow["code"], flow["verifier"]).data
    assert fhir("Patient", tokens["access_token"]).status_code == 200

    revoked = client.post(
        reverse("smart:revoke"), {"token": tokens["access_token"], "client_id": app.client_id}
    )
    refreshed = client.post(
        reverse("smart:token"),
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": app.client_id},
    )

    assert revoked.status_code == 200
    _assert_401(fhir("Patient", tokens["access_token"]))
    assert refreshed.json()["error"] == "invalid_grant"  # revoking the access token revokes its refresh token


def test_deleting_the_app_or_deactivating_the_user_stops_its_tokens(fhir, make_user, smart_token):
    nurse = make_user("Nurse")
    gone_app = smart_token(nurse, "user/*.rs")
    from oauth2_provider.models import get_application_model

    get_application_model().objects.filter(name__startswith="App").delete()
    _assert_401(fhir("Patient", gone_app))

    other = smart_token(nurse, "user/*.rs")
    nurse.is_active = False
    nurse.save()
    _assert_401(fhir("Patient", other))


def test_an_unknown_token_is_refused_and_personal_tokens_still_work(fhir, make_user, make_token):
    nurse = make_user("Nurse")

    _assert_401(fhir("Patient", "not-a-token-we-issued"))
    assert fhir("Patient", make_token(nurse)).status_code == 200
