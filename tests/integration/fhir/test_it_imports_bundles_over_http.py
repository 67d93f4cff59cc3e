"""POST /fhir/ imports an EHR's transaction Bundle through the API: all or nothing, with the token's role."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ivig.patients.models import LabResult, Patient
from tests.integration.fhir_resources.bundles import OURS, bundle, lab, patient, ref

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    """POST a body to /fhir/ with a bearer token, as an EHR does (no CSRF token); responses gain .data."""
    client = Client(enforce_csrf_checks=True)

    def send(body, token=None, content_type="application/fhir+json"):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        text = body if isinstance(body, str | bytes) else json.dumps(body)
        response = client.post("/fhir/", text, content_type=content_type, **headers)
        response.data = json.loads(response.content)
        return response

    return send


def _counts():
    return Patient.objects.count(), LabResult.objects.count()


def test_it_imports_a_good_bundle_and_serves_what_it_wrote(post, fhir, make_user, make_token):
    token = make_token(make_user("Nurse"))
    mia = patient("HTTP001")
    sent = bundle(mia, lab(ref(mia)), lab(ref(mia), code="777-3", value=45, unit="10*9/L"))

    response = post(sent, token)

    assert response.status_code == 200, response.data
    assert response["Content-Type"].startswith("application/fhir+json")
    answer = response.data
    assert answer["resourceType"] == "Bundle" and answer["type"] == "transaction-response"
    assert [entry["response"]["status"] for entry in answer["entry"]] == ["201 Created"] * 3
    patient_id = answer["entry"][0]["response"]["location"].removeprefix("Patient/")
    patients = fhir("Patient", token, _id=patient_id).data
    assert patients["total"] == 1
    assert "HTTP001" in {i["value"] for i in patients["entry"][0]["resource"]["identifier"]}
    labs = fhir("Observation", token, patient=patient_id, category="laboratory").data
    assert labs["total"] == 2
    codes = {entry["resource"]["code"]["coding"][0]["code"] for entry in labs["entry"]}
    assert codes == {"2465-3", "777-3"}


def test_it_writes_nothing_and_names_the_bad_entry(post, make_user, make_token):
    token = make_token(make_user("Nurse"))
    mia = patient("HTTP002")
    before = _counts()

    response = post(bundle(mia, lab(ref(mia)), lab(ref(mia), unit="furlongs")), token)

    assert response.status_code == 422
    assert response.data["resourceType"] == "OperationOutcome"
    assert [issue["expression"][0].split(".")[1] for issue in response.data["issue"]] == ["entry[2]"]
    assert _counts() == before


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/fhir+json"),
        (b"\xff\xfe", "application/json"),
        ('{"resourceType": "Patient"}', "application/json"),
        (json.dumps(bundle(kind="batch")), "application/fhir+json"),
    ],
)
def test_it_answers_400_for_a_body_that_is_not_a_transaction(post, make_user, make_token, body, content_type):
    before = _counts()

    response = post(body, make_token(make_user("Nurse")), content_type=content_type)

    assert response.status_code == 400
    assert response.data["resourceType"] == "OperationOutcome"
    assert response.data["issue"][0]["diagnostics"]
    assert _counts() == before


def test_it_refuses_a_request_without_a_valid_token(post):
    for token in (None, "ivig_not-a-token"):
        response = post(bundle(patient("HTTP003")), token)
        assert response.status_code == 401
        assert response.data["resourceType"] == "OperationOutcome"
    assert not Patient.objects.filter(mrn="HTTP003").exists()


def test_it_refuses_a_patient_token(post, make_user, make_token):
    response = post(bundle(patient("HTTP004")), make_token(make_user("Patient")))

    assert response.status_code == 403
    assert response.data["issue"][0]["code"] == "forbidden"
    assert not Patient.objects.filter(mrn="HTTP004").exists()


def test_it_refuses_lab_entries_to_a_role_without_add_lab(post, make_user, make_token):
    # The Scheduler registers patients (ADD_PATIENT) but may not add lab results (roles.py).
    token = make_token(make_user("Scheduler"))
    mia = patient("HTTP005")
    labs_of_known = lab({"reference": f"Patient?identifier={OURS}|HTTP005"})
    before = _counts()

    response = post(bundle(mia, lab(ref(mia)), labs_of_known), token)

    assert response.status_code == 422
    forbidden = [issue for issue in response.data["issue"] if issue["code"] == "forbidden"]
    assert [issue["expression"][0] for issue in forbidden] == [
        "Bundle.entry[1].resource",
        "Bundle.entry[2].resource",
    ]
    assert _counts() == before


def test_it_names_an_entry_that_is_not_an_object(post, make_user, make_token):
    sent = bundle(patient("HTTP006"))
    sent["entry"].append(["not", "an", "entry"])

    response = post(sent, make_token(make_user("Nurse")))

    assert response.status_code == 422
    assert [issue["expression"] for issue in response.data["issue"]] == [["Bundle.entry[1]"]]
    assert not Patient.objects.filter(mrn="HTTP006").exists()


def test_it_reads_bundles_larger_than_djangos_upload_limit(post, make_user, make_token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    mia = patient("HTTP007")
    sent = bundle(mia, *(lab(ref(mia), taken=f"2026-01-{day:02}") for day in range(1, 11)))
    assert len(json.dumps(sent)) > 1000

    response = post(sent, make_token(make_user("Nurse")))

    assert response.status_code == 200, response.data
    assert LabResult.objects.filter(patient__mrn="HTTP007").count() == 10


def test_it_refuses_a_body_over_its_limit_with_413(post, make_user, make_token, monkeypatch):
    from ivig.fhir import api

    monkeypatch.setattr(api, "MAX_IMPORT_BYTES", 1000)
    mia = patient("HTTP008")

    response = post(bundle(mia, *(lab(ref(mia)) for _ in range(5))), make_token(make_user("Nurse")))

    assert response.status_code == 413
    assert response.data["issue"][0]["code"] == "too-costly"
    assert not Patient.objects.filter(mrn="HTTP008").exists()
