"""A SMART app discovers the OAuth endpoints without a token: /fhir/.well-known/smart-configuration
(SMART App Launch 2) and CapabilityStatement.rest.security (the oauth-uris extension)."""

from __future__ import annotations

import pytest

from tests.fhir_validation import validate_r4

pytestmark = pytest.mark.django_db


def test_the_smart_configuration_is_public_and_complete(client):
    response = client.get("/fhir/.well-known/smart-configuration")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["issuer"] == "http://testserver"
    assert data["authorization_endpoint"] == "http://testserver/oauth/authorize"
    assert data["token_endpoint"] == "http://testserver/oauth/token"
    assert "private_key_jwt" in data["token_endpoint_auth_methods_supported"]
    assert set(data["token_endpoint_auth_signing_alg_values_supported"]) == {"RS384", "ES384"}
    assert {"authorization_code", "client_credentials"} <= set(data["grant_types_supported"])
    assert data["response_types_supported"] == ["code"]
    assert data["code_challenge_methods_supported"] == ["S256"]
    assert {"launch/patient", "patient/*.rs", "user/*.rs", "system/*.rs"} <= set(data["scopes_supported"])
    assert {
        "launch-ehr",
        "launch-standalone",
        "client-public",
        "client-confidential-symmetric",
        "client-confidential-asymmetric",
        "context-ehr-patient",
        "context-standalone-patient",
        "permission-v2",
        "permission-patient",
        "permission-user",
    } <= set(data["capabilities"])
    assert "sso-openid-connect" not in data["capabilities"]


def test_the_endpoints_it_names_answer(client):
    data = client.get("/fhir/.well-known/smart-configuration").json()

    assert client.post(data["token_endpoint"], {"grant_type": "client_credentials"}).status_code in (400, 401)
    assert client.get(data["authorization_endpoint"]).status_code == 302  # to the login page


def test_the_capability_statement_names_the_oauth_endpoints(fhir):
    statement = fhir("metadata").data
    security = statement["rest"][0]["security"]

    validate_r4(statement)
    assert security["service"][0]["coding"][0]["code"] == "SMART-on-FHIR"
    uris = {item["url"]: item["valueUri"] for item in security["extension"][0]["extension"]}
    assert (
        security["extension"][0]["url"]
        == "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
    )
    assert uris["authorize"] == "http://testserver/oauth/authorize"
    assert uris["token"] == "http://testserver/oauth/token"


def test_it_names_the_public_address_when_the_site_has_one(client, fhir, settings):
    settings.IVIG_PUBLIC_URL = "https://ivig.example.org"

    data = client.get("/fhir/.well-known/smart-configuration").json()
    security = fhir("metadata").data["rest"][0]["security"]

    assert data["issuer"] == "https://ivig.example.org"
    assert data["token_endpoint"] == "https://ivig.example.org/oauth/token"
    uris = {item["url"]: item["valueUri"] for item in security["extension"][0]["extension"]}
    assert uris["token"] == "https://ivig.example.org/oauth/token"
