"""A SMART browser app served from its own origin may call the FHIR API (CORS) when an Admin registered that
origin with the app; other origins get no CORS headers."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
ORIGIN = "https://app.example.org"


@pytest.fixture
def registered(make_app):
    app = make_app()
    app.allowed_origins = ORIGIN
    app.save()
    return app


def test_a_registered_origin_passes_the_preflight_and_reads(client, registered, make_user, smart_token):
    token = smart_token(make_user("Nurse"), "user/*.rs")

    preflight = client.options(
        "/fhir/Patient",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    read = client.get("/fhir/Patient", HTTP_ORIGIN=ORIGIN, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == ORIGIN
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]
    assert read.status_code == 200
    assert read["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Credentials" not in read


def test_another_origin_gets_no_cors_headers(client, registered):
    preflight = client.options(
        "/fhir/Patient", HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )

    assert "Access-Control-Allow-Origin" not in preflight
