"""Absolute URLs (fullUrl, paging links, our canonical URLs) are under IVIG_PUBLIC_URL when it is set, and
under the address the request came to when it is not (issue 18: links to a Questionnaire and a CodeSystem
pointed to 127.0.0.1:8000 and 404). Forwarded headers count only when the settings say so, as in Django."""

from __future__ import annotations

import json

import pytest

from ivig.fhir.codes import ivig_url
from ivig.lib.addresses import DEVELOPMENT_URL

pytestmark = pytest.mark.django_db
HOST = "ivig.hospital.example"


@pytest.fixture
def token(make_user, make_token, make_patient, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST, "proxy.example"]
    settings.IVIG_PUBLIC_URL = ""
    make_patient(make_user("Nurse"), mrn="URL00001")
    return make_token(make_user("Admin"))


def _bundle(client, token, path="Observation", **headers):
    response = client.get(f"/fhir/{path}", {"_count": "1"}, HTTP_AUTHORIZATION=f"Bearer {token}", **headers)
    assert response.status_code == 200
    return json.loads(response.content)


def test_it_uses_the_request_host_when_no_public_url_is_set(client, token):
    bundle = _bundle(client, token, HTTP_HOST=HOST)

    assert bundle["link"][0]["url"].startswith(f"http://{HOST}/fhir/Observation?")
    assert bundle["entry"][0]["fullUrl"].startswith(f"http://{HOST}/fhir/Observation/")
    statement = json.loads(client.get("/fhir/metadata", HTTP_HOST=HOST).content)
    definitions = [
        param["definition"]
        for resource in statement["rest"][0]["resource"]
        for param in resource["searchParam"]
        if "definition" in param
    ]
    assert definitions and all(url.startswith(f"http://{HOST}/fhir/SearchParameter/") for url in definitions)
    assert statement["implementation"]["url"] == f"http://{HOST}/fhir"


def test_it_uses_the_public_url_when_set(client, token, settings):
    settings.IVIG_PUBLIC_URL = "https://ivig.example.org"
    bundle = _bundle(client, token, HTTP_HOST=HOST)

    assert bundle["link"][0]["url"].startswith("https://ivig.example.org/fhir/Observation?")
    assert bundle["entry"][0]["fullUrl"].startswith("https://ivig.example.org/fhir/Observation/")
    found = json.loads(client.get("/fhir/CodeSystem/lab-kind", HTTP_HOST=HOST).content)
    assert found["url"] == "https://ivig.example.org/fhir/CodeSystem/lab-kind"


def test_it_trusts_forwarded_headers_only_when_the_settings_do(client, token, settings):
    forwarded = {
        "HTTP_HOST": "proxy.example",
        "HTTP_X_FORWARDED_HOST": HOST,
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    settings.USE_X_FORWARDED_HOST = False
    settings.SECURE_PROXY_SSL_HEADER = None
    assert _bundle(client, token, **forwarded)["link"][0]["url"].startswith("http://proxy.example/fhir/")

    settings.USE_X_FORWARDED_HOST = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert _bundle(client, token, **forwarded)["link"][0]["url"].startswith(f"https://{HOST}/fhir/")


def test_it_falls_back_to_the_public_address_outside_a_request(settings):
    settings.IVIG_PUBLIC_URL = ""
    assert ivig_url("CodeSystem/lab-kind") == f"{DEVELOPMENT_URL}/fhir/CodeSystem/lab-kind"
    settings.IVIG_PUBLIC_URL = "https://ivig.example.org"
    assert ivig_url("CodeSystem/lab-kind") == "https://ivig.example.org/fhir/CodeSystem/lab-kind"
