"""A client that takes only XML gets 406 Not Acceptable (an OperationOutcome, in JSON: the only format this
server writes), not JSON it cannot read; `_format` wins over Accept. `*/*` and no Accept mean JSON."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(make_user, make_token, make_patient):
    admin = make_user("Admin")
    make_patient(admin, mrn="XML00001")
    return make_token(admin)


def _get(client, token, path, accept=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if accept is not None:
        headers["HTTP_ACCEPT"] = accept
    return client.get(f"/fhir/{path}", params, **headers)


@pytest.mark.parametrize("path", ["metadata", "Patient", "CodeSystem/lab-kind"])
@pytest.mark.parametrize(
    ("accept", "params"),
    [
        ("application/fhir+xml", {}),
        ("application/xml", {}),
        ("application/fhir+xml;q=1.0, application/fhir+json;q=0", {}),
        (None, {"_format": "xml"}),
        (None, {"_format": "application/fhir+xml"}),
        ("application/fhir+json", {"_format": "xml"}),  # _format overrides Accept
        (None, {"_format": "ttl"}),
    ],
)
def test_it_answers_406_to_a_client_that_takes_only_xml(client, token, path, accept, params):
    response = _get(client, token, path, accept, **params)

    assert response.status_code == 406
    assert response["Content-Type"] == "application/fhir+json"
    outcome = json.loads(response.content)
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "not-supported"


def test_it_answers_406_to_a_read_that_asks_for_xml(client, token):
    patient_id = json.loads(_get(client, token, "Patient").content)["entry"][0]["resource"]["id"]

    assert _get(client, token, f"Patient/{patient_id}", "application/fhir+xml").status_code == 406
    assert _get(client, token, f"Patient/{patient_id}").status_code == 200


@pytest.mark.parametrize(
    ("accept", "params"),
    [
        (None, {}),
        ("*/*", {}),
        ("application/fhir+xml, application/fhir+json;q=0.8", {}),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", {}),  # a browser
        ("application/fhir+json; fhirVersion=4.0", {}),
        ("application/fhir+xml", {"_format": "json"}),
        (None, {"_format": "application/fhir+json"}),
    ],
)
def test_it_answers_json_when_json_will_do(client, token, accept, params):
    response = _get(client, token, "Patient", accept, **params)

    assert response.status_code == 200
    assert json.loads(response.content)["resourceType"] == "Bundle"
