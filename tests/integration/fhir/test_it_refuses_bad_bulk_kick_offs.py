"""A Bulk Data kick-off the server cannot honour answers with an OperationOutcome saying why, and starts
nothing: bad headers, bad parameter values, unsupported parameters (unless `Prefer: handling=lenient`), types
the role may not read or outside the patient compartment, too many exports at once."""

from __future__ import annotations

import json

import pytest

from ivig.fhir import bulk
from ivig.fhir.models import ExportJob

from .bulk_flow import KICK_OFF_HEADERS, bearer, kick_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(make_user, make_token):
    return make_token(make_user("Admin"))


def _refusal(response, status=400):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = json.loads(response.content)
    assert outcome["resourceType"] == "OperationOutcome"
    assert not ExportJob.objects.exists()
    return outcome["issue"][0]["diagnostics"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"_outputFormat": "text/csv"}, "_outputFormat must be one of application/fhir+ndjson"),
        ({"_since": "yesterday"}, "_since 'yesterday' is not a FHIR instant"),
        ({"_since": "2026-03-01"}, "is not a FHIR instant"),
        ({"_since": "2026-02-30T00:00:00Z"}, "is not a FHIR instant"),
        ({"_type": "Patient,Spaceship"}, "does not have: Spaceship"),
        ({"_elements": "id"}, "does not support the $export parameter(s) _elements"),
        ({"includeAssociatedData": "LatestProvenanceResources"}, "includeAssociatedData"),
        ({"patient": "Patient/1"}, "patient"),
        ({"_typeFilter": "Observation?nonsense=1"}, "Observation has no search parameter 'nonsense'"),
        ({"_typeFilter": "Observation?_count=10"}, "_count cannot be used in a bulk export"),
        ({"_typeFilter": "Patient?birthdate=last-week"}, "is not a FHIR date"),
        ({"_typeFilter": "Observation"}, "is not a search"),
        ({"_type": "Patient", "_typeFilter": "Observation?code=2465-3"}, "this export does not include"),
    ],
)
def test_it_refuses_bad_parameters_naming_them(client, token, params, words):
    assert words in _refusal(kick_off(client, token, "$export", **params))


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({"HTTP_ACCEPT": "text/csv"}, "application/fhir+json"),
        ({"HTTP_PREFER": "return=representation"}, "send Prefer: respond-async"),
        ({"HTTP_PREFER": "respond-async, handling=sloppy"}, "handling=lenient"),
    ],
)
def test_it_refuses_bad_headers(client, token, headers, words):
    response = client.get("/fhir/$export", **{**KICK_OFF_HEADERS, **headers}, **bearer(token))

    assert words in _refusal(response)


def test_it_takes_a_missing_prefer_header_as_respond_async(client, token):
    response = client.get("/fhir/$export", **bearer(token))

    assert response.status_code == 202
    assert response["Content-Location"]


def test_it_ignores_unsupported_parameters_when_asked_to_be_lenient(client, token):
    response = client.get(
        "/fhir/$export",
        {"_elements": "id", "_type": "Patient,Spaceship"},
        HTTP_PREFER="respond-async, handling=lenient",
        **bearer(token),
    )

    assert response.status_code == 202, response.content
    job = ExportJob.objects.get()
    assert job.types == ["Patient"]
    assert any("_elements" in note for note in job.notes)
    assert any("Spaceship" in note for note in job.notes)


def test_it_refuses_types_the_role_may_not_read(client, make_user, make_token):
    scheduler = make_token(make_user("Scheduler"))

    response = kick_off(client, scheduler, "$export", _type="MedicationRequest")

    assert "MedicationRequest" in _refusal(response, 403)


def test_it_refuses_types_outside_the_patient_compartment(client, token):
    assert "outside the patient compartment: Schedule" in _refusal(
        kick_off(client, token, "Patient/$export", _type="Patient,Schedule")
    )


def test_it_reads_parameters_from_a_posted_parameters_resource(client, token):
    body = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "_type", "valueString": "Patient,Observation"},
            {"name": "_since", "valueInstant": "2026-01-01T00:00:00Z"},
        ],
    }
    response = client.post(
        "/fhir/Patient/$export",
        json.dumps(body),
        content_type="application/fhir+json",
        **KICK_OFF_HEADERS,
        **bearer(token),
    )

    assert response.status_code == 202, response.content
    job = ExportJob.objects.get()
    assert (job.level, job.types, job.since.year) == ("patient", ["Patient", "Observation"], 2026)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '{"resourceType": "Patient"}',
        '{"resourceType": "Parameters", "parameter": [{"name": "_type"}]}',
    ],
)
def test_it_refuses_a_posted_body_that_is_not_parameters(client, token, body):
    response = client.post(
        "/fhir/$export", body, content_type="application/fhir+json", **KICK_OFF_HEADERS, **bearer(token)
    )

    assert "Parameters" in _refusal(response)


def test_it_answers_429_to_too_many_exports_at_once(client, token, monkeypatch):
    monkeypatch.setattr(bulk, "MAX_ACTIVE_PER_USER", 1)
    assert kick_off(client, token).status_code == 202

    response = kick_off(client, token)

    assert response.status_code == 429
    assert response["Retry-After"].isdigit()
    assert ExportJob.objects.count() == 1
