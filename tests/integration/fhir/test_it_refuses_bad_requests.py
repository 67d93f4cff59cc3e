"""Bad searches get a 400 OperationOutcome saying what is wrong; unknown things a 404 one; never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(make_user, make_token):
    return make_token(make_user("Admin"))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"colour": "blue"}, "no search parameter 'colour'"),
        ({"_count": "-1"}, "_count must be a whole number"),
        ({"_count": "100000"}, "_count must be a whole number from 0 to 500"),
        ({"_count": "ten"}, "_count must be a whole number"),
        ({"_offset": "1e3"}, "_offset must be a whole number"),
        ({"_page": "0"}, "_page must be a whole number"),
        ({"_page": "2", "_offset": "4"}, "not both"),
        ({"patient": "abc"}, "is not a Patient id"),
        ({"patient": "Practitioner/1"}, "is not a Patient reference"),
        ({"date": "yesterday"}, "is not a FHIR date"),
        ({"date": "2026-13-45"}, "is not a real date"),
        ({"date": "9999-12-31"}, "is not a real date"),  # the interval would end past year 9999
        ({"date": "9999-12-31T23:59:59Z"}, "is not a real date"),
        ({"lot": "X" * 21}, "at most 20 characters"),
        ({"date:missing": "true"}, "modifiers"),
        ({"patient": "1,,2"}, "empty value"),
        ({"status": "asleep"}, "is not known"),
    ],
)
def test_it_answers_400_with_the_reason(fhir, token, params, message):
    response = fhir("MedicationRequest", token, **params)

    assert response.status_code == 400
    assert response.data["resourceType"] == "OperationOutcome"
    issue = response.data["issue"][0]
    assert issue["severity"] == "error" and issue["code"] == "invalid"
    assert message in issue["diagnostics"]


@pytest.mark.parametrize(
    "path", ["Patient/999999", "Patient/abc", "Patient/seg-1", "Spaceship", "Spaceship/1"]
)
def test_it_answers_404_for_what_does_not_exist(fhir, token, path):
    response = fhir(path, token)

    assert response.status_code == 404
    assert response.data["issue"][0]["code"] == "not-found"


def test_it_reads_one_resource(fhir, token, make_patient, make_user):
    patient = make_patient(make_user("Nurse"), mrn="READ1")

    response = fhir(f"Patient/{patient.pk}", token)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response.data["identifier"][0]["value"] == "READ1"


def test_it_answers_plain_json_to_a_client_that_asks_for_it(client, token):
    response = client.get(
        "/fhir/Patient", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_it_refuses_a_bad_export_type(fhir, token):
    response = fhir("$export", token, _type="Patient,Spaceship")

    assert response.status_code == 400
    assert "Spaceship" in response.data["issue"][0]["diagnostics"]


def test_it_answers_400_when_a_mappers_filter_lets_a_bad_value_through(fhir, token):
    from ivig.fhir import registry
    from ivig.fhir.registry import Source
    from ivig.patients.models import Patient

    def careless(queryset, value):
        return queryset.filter(pk=value)  # the ORM raises ValueError on "abc"

    registry.register(
        Source(
            "Careless",
            Patient,
            to_fhir=lambda p: {},
            patient_path="",
            permission="patients.view_patient",
            search={"code": careless},
        )
    )
    try:
        response = fhir("Careless", token, code="abc")
    finally:
        registry._REGISTRY.pop("Careless")

    assert response.status_code == 400
    assert "code: 'abc' cannot be used" in response.data["issue"][0]["diagnostics"]
