"""Issue 18: an entry's request.url was not checked against its resource, and a MedicationRequest failed the
whole bundle without saying which types are supported. Both are refused naming the entry."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ivig.fhir.importing import import_bundle
from ivig.patients.models import LabResult, Patient
from tests.integration.fhir_resources.bundles import bundle, lab, patient, ref

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["Observation", "Patient/12", "patient", "http://ehr.example/fhir/Patient", None]
)
def test_a_create_posts_to_its_resource_type(make_user, url):
    mia = patient("RB700101")
    mia["request"]["url"] = url
    if url is None:
        del mia["request"]["url"]

    result = import_bundle(bundle=bundle(lab(ref(mia)), mia), by=make_user("Nurse"))

    assert result.status_code == 422
    first, second = result.resource["issue"]
    assert first["expression"] == ["Bundle.entry[0].resource.subject"]  # its patient entry fails
    assert second["expression"] == ["Bundle.entry[1].request.url"]
    assert "Entry 1" in second["diagnostics"] and "'Patient'" in second["diagnostics"]
    assert Patient.objects.count() == 0


def test_a_lab_result_posted_as_a_patient_is_refused(make_user):
    mia = patient("RB700102")
    result_entry = lab(ref(mia))
    result_entry["request"]["url"] = "Patient"

    result = import_bundle(bundle=bundle(mia, result_entry), by=make_user("Nurse"))

    assert result.status_code == 422
    assert result.resource["issue"][0]["expression"] == ["Bundle.entry[1].request.url"]
    assert Patient.objects.count() == 0 and LabResult.objects.count() == 0


def test_an_unsupported_type_is_named_with_the_types_we_import(make_user, make_token):
    mia = patient("RB700103")
    order = {
        "fullUrl": "urn:uuid:3f0c1c1e-8c55-4a3b-9d7c-6f3f1a0e0b01",
        "resource": {
            "resourceType": "MedicationRequest",
            "status": "active",
            "intent": "order",
            "medicationCodeableConcept": {"text": "Privigen"},
            "subject": ref(mia),
        },
        "request": {"method": "POST", "url": "MedicationRequest"},
    }
    sent = bundle(mia, lab(ref(mia)), order)

    response = Client().post(
        "/fhir/",
        json.dumps(sent),
        content_type="application/fhir+json",
        HTTP_AUTHORIZATION=f"Bearer {make_token(make_user('Nurse'))}",
    )

    assert response.status_code == 422
    (issue,) = json.loads(response.content)["issue"]
    assert issue["code"] == "not-supported"
    assert issue["expression"] == ["Bundle.entry[2].resource.resourceType"]
    assert "Entry 2 is a MedicationRequest" in issue["diagnostics"]
    assert "Patient and Observation" in issue["diagnostics"]
    assert Patient.objects.count() == 0
