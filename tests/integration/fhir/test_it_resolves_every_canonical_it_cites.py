"""Every canonical or system URL under our own base that the demo data's resources and the CapabilityStatement
cite resolves on this server: GET it (no token needed) and a valid R4 resource with that url comes back
(issue 18: the diary's Questionnaire and the lab-kind CodeSystem pointed to 127.0.0.1:8000 and 404)."""

from __future__ import annotations

import json

import pytest

from ivig.demo.load import load_demo
from ivig.fhir import registry
from tests.fhir_validation import validate_r4

pytestmark = pytest.mark.django_db
BASE = "http://testserver/fhir/"


def _urls(data, found, skip=()):
    """Every string under BASE in a JSON value, but under the keys in skip."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in skip:
                _urls(value, found, skip)
    elif isinstance(data, list):
        for value in data:
            _urls(value, found, skip)
    elif isinstance(data, str) and data.startswith(BASE):
        found.add(data)
    return found


def test_it_serves_every_canonical_url_it_cites(client, make_user, make_token, settings):
    settings.IVIG_PUBLIC_URL = ""
    load_demo()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {make_token(make_user('Admin', 'canonical-admin'))}"}
    cited: set[str] = set()
    for resource_type in registry.resource_types():
        url: str | None = f"{BASE}{resource_type}?_count=500"
        while url:
            bundle = json.loads(client.get(url, **headers).content)
            for entry in bundle.get("entry", []):
                assert "127.0.0.1:8000" not in json.dumps(entry["resource"]), entry["fullUrl"]
                # An AuditEvent's network address of this server is where it was reached, not a canonical.
                _urls(entry["resource"], cited, skip=("network",))
            url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
    statement = json.loads(client.get("/fhir/metadata").content)
    # implementation.url is the server's own address, not a canonical.
    _urls(statement, cited, skip=("implementation",))

    assert f"{BASE}Questionnaire/after-infusion-diary" in cited
    assert f"{BASE}CodeSystem/lab-kind" in cited
    assert any(url.startswith(f"{BASE}SearchParameter/") for url in cited)
    for url in sorted(cited):
        response = client.get(url)  # no token: definitions are public, like /metadata
        assert response.status_code == 200, url
        resource = json.loads(response.content)
        validate_r4(resource)
        assert resource["url"] == url
        assert url.startswith(f"{BASE}{resource['resourceType']}/")


def test_it_finds_a_definition_by_its_url(client):
    url = f"{BASE}CodeSystem/lab-kind"

    bundle = json.loads(client.get("/fhir/CodeSystem", {"url": url}).content)

    assert [entry["resource"]["id"] for entry in bundle["entry"]] == ["lab-kind"]
    assert bundle["entry"][0]["fullUrl"] == url
    assert client.get("/fhir/CodeSystem/no-such-system").status_code == 404
    assert client.get("/fhir/Questionnaire", {"colour": "blue"}).status_code == 400
