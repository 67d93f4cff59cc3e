"""A SMART token reads the intersection of its scopes and its user's role: patient/ scopes keep only the
launch patient, a type (or interaction) no scope covers answers 403, and a scope never widens the role."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from ivig.fhir import bulk_run, export
from ivig.fhir.models import ExportJob
from tests.factories.portal import PortalLinkFactory

pytestmark = pytest.mark.django_db


def _ids(bundle):
    return {entry["resource"]["id"] for entry in bundle.get("entry", [])}


def test_patient_scopes_keep_only_the_launch_patients_resources(fhir, clinic, smart_token):
    token = smart_token(clinic["prescriber"], "patient/*.rs", patient=clinic["other"])

    assert _ids(fhir("Patient", token).data) == {str(clinic["other"].pk)}
    requests = fhir("MedicationRequest", token, _count="50").data
    assert {e["resource"]["subject"]["reference"] for e in requests["entry"]} == {
        f"Patient/{clinic['other'].pk}"
    }
    assert fhir(f"Patient/{clinic['patient'].pk}", token).status_code == 404
    assert fhir("MedicationRequest", token, patient=str(clinic["patient"].pk)).data["total"] == 0


def test_patient_scopes_limit_the_export_to_the_launch_patient(client, fhir, clinic, smart_token):
    token = smart_token(clinic["prescriber"], "patient/*.rs", patient=clinic["patient"])

    assert fhir("$export", token).status_code == 202
    job = ExportJob.objects.get()
    # What the worker reads for this job (test_it_exports_within_smart_scopes runs the worker itself).
    scope = bulk_run._scope(job, timezone.now())
    found = export.querysets("Patient", scope)
    patients = [json.loads(line) for source, rows in found for line in export.lines(source, rows)]

    assert "Patient" in job.types
    assert job.smart_access["patient_id"] == clinic["patient"].pk
    assert [p["id"] for p in patients] == [str(clinic["patient"].pk)]


def test_a_type_no_scope_covers_answers_403(fhir, clinic, smart_token):
    token = smart_token(clinic["prescriber"], "patient/Patient.rs", patient=clinic["patient"])

    refused = fhir("MedicationRequest", token)

    assert fhir("Patient", token).status_code == 200
    assert refused.status_code == 403
    assert refused.data["resourceType"] == "OperationOutcome"
    assert refused.data["issue"][0]["code"] == "forbidden"


def test_read_and_search_are_separate_permissions(fhir, clinic, smart_token):
    patient = clinic["patient"]
    read_only = smart_token(clinic["prescriber"], "patient/Patient.r", patient=patient)
    search_only = smart_token(clinic["prescriber"], "patient/Patient.s", patient=patient)

    assert fhir(f"Patient/{patient.pk}", read_only).status_code == 200
    assert fhir("Patient", read_only).status_code == 403
    assert fhir("Patient", search_only).status_code == 200
    assert fhir(f"Patient/{patient.pk}", search_only).status_code == 403


def test_v1_read_scopes_are_accepted(fhir, clinic, smart_token):
    token = smart_token(clinic["prescriber"], "patient/*.read", patient=clinic["patient"])

    assert fhir("Patient", token).data["total"] == 1
    assert fhir(f"Patient/{clinic['patient'].pk}", token).status_code == 200


def test_a_scope_never_grants_more_than_the_role(fhir, clinic, make_user, smart_token):
    scheduler = make_user("Scheduler")
    token = smart_token(scheduler, "user/*.rs")

    assert fhir("Patient", token).status_code == 200
    assert fhir("MedicationRequest", token).status_code == 403


def test_a_portal_account_reads_nothing_beyond_its_own_even_with_another_launch_patient(
    fhir, clinic, make_user, smart_token
):
    parent = make_user("Patient", username="parent")
    PortalLinkFactory(user=parent, patient=clinic["patient"])
    token = smart_token(parent, "patient/*.rs", patient=clinic["other"])

    assert fhir("Patient", token).data["total"] == 0
    assert fhir(f"Patient/{clinic['other'].pk}", token).status_code == 404


def test_patient_scopes_without_a_patient_read_nothing(fhir, clinic, smart_token):
    token = smart_token(clinic["prescriber"], "patient/*.rs")

    assert fhir("Patient", token).status_code == 403


def _post(client, token):
    body = {"resourceType": "Bundle", "type": "transaction", "entry": []}
    return client.post(
        "/fhir/", json.dumps(body), content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_importing_needs_user_create_scopes(client, clinic, smart_token):
    nurse_scopes = smart_token(clinic["prescriber"], "user/*.rs")
    patient_scopes = smart_token(clinic["prescriber"], "patient/*.cruds", patient=clinic["patient"])
    create_scopes = smart_token(clinic["prescriber"], "user/Patient.c user/Observation.c")

    assert _post(client, nurse_scopes).status_code == 403
    assert _post(client, patient_scopes).status_code == 403
    assert _post(client, create_scopes).status_code != 403


def test_metadata_needs_no_token(fhir):
    assert fhir("metadata").status_code == 200
