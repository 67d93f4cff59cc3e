"""The FHIR API's access log is served as AuditEvent in the style of IHE Basic Audit Log Patterns: type rest,
subtype read or search-type, the user (requestor), the client and this server as agents, the patient and the
resource or the query (base64) as entities. Only roles that may see the audit trail read it."""

from __future__ import annotations

import base64

import pytest

from tests.fhir_validation import validate_r4

pytestmark = pytest.mark.django_db
REST = {
    "system": "http://terminology.hl7.org/CodeSystem/audit-event-type",
    "code": "rest",
    "display": "Restful Operation",
}


@pytest.fixture
def setup(make_user, make_token, make_patient):
    nurse = make_user("Nurse")
    ada = make_patient(nurse, mrn="BAL00001")
    quality = make_user("Quality")
    return {
        "ada": ada,
        "nurse_token": make_token(nurse, name="Ward tablet"),
        "nurse": nurse,
        "quality_token": make_token(quality),
    }


def _events(fhir, token, **params):
    response = fhir("AuditEvent", token, **params)
    assert response.status_code == 200, response.data
    return [entry["resource"] for entry in response.data.get("entry", [])]


def _codes(concept):
    return {(coding["system"], coding["code"]) for coding in concept["coding"]}


def test_it_serves_a_read_as_a_balp_style_audit_event(fhir, setup):
    ada = setup["ada"]
    fhir(f"Patient/{ada.pk}", setup["nurse_token"])

    (event,) = _events(fhir, setup["quality_token"], patient=f"Patient/{ada.pk}", subtype="read")

    validate_r4(event)
    assert event["type"] == REST
    assert event["subtype"][0]["code"] == "read" and event["action"] == "R" and event["outcome"] == "0"
    user, client, server = event["agent"]
    assert user["requestor"] is True and user["who"]["display"] == "nurse"
    assert user["who"]["identifier"]["value"] == str(setup["nurse"].pk)
    assert ("http://dicom.nema.org/resources/ontology/DCM", "110153") in _codes(client["type"])
    assert "Ward tablet" in client["who"]["display"]
    assert client["network"] == {"address": "127.0.0.1", "type": "2"}
    assert ("http://dicom.nema.org/resources/ontology/DCM", "110152") in _codes(server["type"])
    patient, data = event["entity"]
    assert patient["what"] == {"reference": f"Patient/{ada.pk}"}
    assert patient["role"]["code"] == "1" and patient["type"]["code"] == "1"
    assert data["what"] == {"reference": f"Patient/{ada.pk}"} and data["role"]["code"] == "4"


def test_it_serves_a_search_with_its_query_in_base64(fhir, setup):
    ada = setup["ada"]
    fhir("Observation", setup["nurse_token"], patient=str(ada.pk), code="29463-7")

    (event,) = _events(fhir, setup["quality_token"], patient=str(ada.pk), subtype="search-type")

    validate_r4(event)
    assert event["subtype"][0]["code"] == "search-type" and event["action"] == "E"
    query = next(entity for entity in event["entity"] if entity["role"]["code"] == "24")
    assert query["type"]["code"] == "2"
    sent = base64.b64decode(query["query"]).decode()
    assert sent.startswith("/fhir/Observation?") and "code=29463-7" in sent
    assert query["description"] == f"Observation?patient={ada.pk}&code=29463-7"


def test_it_searches_audit_events_by_agent_and_date(fhir, setup):
    fhir(f"Patient/{setup['ada'].pk}", setup["nurse_token"])
    nurse = setup["nurse"].pk

    assert len(_events(fhir, setup["quality_token"], agent=str(nurse), date="ge2000-01-01")) == 1
    assert _events(fhir, setup["quality_token"], agent=str(nurse + 1000)) == []
    assert _events(fhir, setup["quality_token"], agent=f"Practitioner/{nurse}") == []  # not served
    assert _events(fhir, setup["quality_token"], date="lt2000-01-01") == []


def test_it_audits_reading_the_audit_log_too(fhir, setup):
    fhir(f"Patient/{setup['ada'].pk}", setup["nurse_token"])
    _events(fhir, setup["quality_token"])

    searches = _events(fhir, setup["quality_token"], subtype="search-type")

    assert any(
        base64.b64decode(entity["query"]).decode().startswith("/fhir/AuditEvent")
        for event in searches
        for entity in event["entity"]
        if "query" in entity
    )


def test_it_lets_only_roles_that_see_the_audit_trail_read_it(fhir, setup):
    assert fhir("AuditEvent", setup["nurse_token"]).status_code == 403
