"""SMART Backend Services: client credentials with a private_key_jwt client assertion (RS384 or ES384),
system/ scopes only, acting as the service user registered with the app."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from tests.plugins.smart import client_assertion, ec_key, public_jwks, rsa_key

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def key():
    return rsa_key()


@pytest.fixture
def service(make_user, make_patient, make_app, key):
    """A backend client (an EHR's nightly job) acting as a Pharmacist service user, and two patients."""
    user = make_user("Pharmacist", username="svc-ehr")
    make_patient(user, mrn="SVC001")
    make_patient(user, mrn="SVC002")
    app = make_app(
        "EHR sync",
        client_type="confidential",
        grant="client-credentials",
        jwks=public_jwks(key),
        service_user=user,
    )
    return {"app": app, "user": user}


def test_a_backend_service_searches_with_a_signed_assertion(fhir, service, key, backend_token):
    token = backend_token(client_assertion(key, service["app"].client_id))

    assert token.status_code == 200, token.data
    assert token.data["scope"] == "system/*.rs"
    assert token.data["expires_in"] == 300
    assert "refresh_token" not in token.data
    assert fhir("Patient", token.data["access_token"]).data["total"] == 2
    event = AuditEvent.objects.get(action="smart.token_issue")
    assert event.actor_username == "svc-ehr"
    assert "client_credentials" in event.summary


def test_an_es384_key_works_too(fhir, make_app, service, backend_token):
    ec = ec_key()
    app = make_app(
        "EHR EC",
        client_type="confidential",
        grant="client-credentials",
        jwks=public_jwks(ec),
        service_user=service["user"],
    )

    token = backend_token(client_assertion(ec, app.client_id))

    assert token.status_code == 200, token.data
    assert fhir("Patient", token.data["access_token"]).status_code == 200


def test_the_service_users_role_still_limits_the_token(fhir, make_user, make_app, key, backend_token):
    scheduler = make_user("Scheduler", username="svc-booking")
    app = make_app(
        "Booking sync",
        client_type="confidential",
        grant="client-credentials",
        jwks=public_jwks(key),
        service_user=scheduler,
    )

    access = backend_token(client_assertion(key, app.client_id)).data["access_token"]

    assert fhir("Patient", access).status_code == 200
    assert fhir("MedicationRequest", access).status_code == 403


def test_a_system_scope_for_one_type_reads_that_type_only(fhir, service, key, backend_token):
    access = backend_token(client_assertion(key, service["app"].client_id), scope="system/Patient.rs")

    assert fhir("Patient", access.data["access_token"]).status_code == 200
    refused = fhir("MedicationRequest", access.data["access_token"])
    assert refused.status_code == 403
    assert "scopes" in refused.data["issue"][0]["diagnostics"]


def test_it_refuses_an_assertion_used_twice(service, key, backend_token):
    assertion = client_assertion(key, service["app"].client_id, jti="once-only")
    assert backend_token(assertion).status_code == 200

    again = backend_token(assertion)

    assert again.status_code == 401
    assert again.data["error"] == "invalid_client"
    assert "used already" in again.data["error_description"]


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"aud": "http://testserver/fhir"}, "aud"),
        ({"aud": "https://other.example/oauth/token"}, "aud"),
        ({"lifetime": -10}, "expired"),
        ({"lifetime": 3600}, "five minutes"),
        ({"issuer": "someone-else"}, "iss and sub"),
    ],
)
def test_it_refuses_a_wrong_assertion(service, key, backend_token, changes, why):
    token = backend_token(client_assertion(key, service["app"].client_id, **changes))

    assert token.status_code == 401
    assert token.data["error"] == "invalid_client"
    assert why in token.data["error_description"]


def test_it_refuses_an_assertion_signed_with_another_key(service, backend_token):
    token = backend_token(client_assertion(rsa_key("key-1"), service["app"].client_id))

    assert token.data["error"] == "invalid_client"
    assert "signature" in token.data["error_description"]


def test_it_refuses_rs256(service, key, backend_token):
    token = backend_token(client_assertion(key, service["app"].client_id, alg="RS256"))

    assert token.data["error"] == "invalid_client"


def test_it_refuses_a_client_secret_for_client_credentials(client, make_app, service):
    app = make_app(
        "Secret sync",
        client_type="confidential",
        grant="client-credentials",
        secret="s3cret-s3cret",
        service_user=service["user"],
    )

    response = client.post(
        reverse("smart:token"),
        {
            "grant_type": "client_credentials",
            "scope": "system/*.rs",
            "client_id": app.client_id,
            "client_secret": "s3cret-s3cret",
        },
    )

    assert response.status_code == 401
    assert "private_key_jwt" in response.json()["error_description"]


@pytest.mark.parametrize("scope", ["patient/*.rs", "user/*.rs", "launch"])
def test_a_backend_service_asks_for_system_scopes_only(service, key, backend_token, scope):
    token = backend_token(client_assertion(key, service["app"].client_id), scope=scope)

    assert token.status_code == 400
    assert token.data["error"] == "invalid_scope"


def test_a_backend_client_without_a_service_user_gets_no_token(make_app, key, backend_token):
    app = make_app("Orphan", client_type="confidential", grant="client-credentials", jwks=public_jwks(key))

    token = backend_token(client_assertion(key, app.client_id))

    assert token.data["error"] == "unauthorized_client"


def test_the_assertion_names_the_token_endpoint_discovery_gave(settings, service, key, backend_token):
    settings.IVIG_PUBLIC_URL = "https://ivig.example.org"
    app = service["app"].client_id

    behind_proxy = backend_token(client_assertion(key, app, aud="https://ivig.example.org/oauth/token"))
    internal = backend_token(client_assertion(key, app))

    assert behind_proxy.status_code == 200, behind_proxy.data
    assert internal.data["error"] == "invalid_client"
