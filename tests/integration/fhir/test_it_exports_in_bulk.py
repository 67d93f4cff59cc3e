"""$export: a manifest with one NDJSON URL per type (narrowed by _type), each streamed line by line."""

from __future__ import annotations

import json

import pytest
from django.http import StreamingHttpResponse

from ivig.audit.models import AuditEvent
from ivig.fhir import export, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(make_user, make_token):
    return make_token(make_user("Admin"))


def test_it_lists_one_file_per_type_in_the_manifest(fhir, token):
    manifest = fhir("$export", token).data

    assert manifest["requiresAccessToken"] is True
    assert manifest["error"] == []
    assert manifest["request"] == "http://testserver/fhir/$export"
    assert [item["type"] for item in manifest["output"]] == registry.resource_types()
    assert (
        manifest["output"][0]["url"]
        == f"http://testserver/fhir/$export/{registry.resource_types()[0]}.ndjson"
    )


def test_it_narrows_the_export_by_type(fhir, token):
    manifest = fhir("$export", token, _type="Patient,MedicationRequest").data

    assert [item["type"] for item in manifest["output"]] == ["Patient", "MedicationRequest"]


def test_it_streams_every_resource_once_as_ndjson(client, token, make_user, make_patient, monkeypatch):
    nurse = make_user("Nurse")
    patients = [make_patient(nurse, mrn=f"E{n:03d}") for n in range(12)]
    monkeypatch.setattr(export, "CHUNK_ROWS", 5)
    monkeypatch.setattr(export, "FLUSH_BYTES", 200)

    response = client.get("/fhir/$export/Patient.ndjson", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert isinstance(response, StreamingHttpResponse)
    chunks = list(response.streaming_content)
    assert len(chunks) > 1
    lines = b"".join(chunks).decode().splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(str(p.pk) for p in patients)


def test_it_audits_each_exported_file(client, token):
    client.get("/fhir/$export/Patient.ndjson", HTTP_AUTHORIZATION=f"Bearer {token}")

    event = AuditEvent.objects.get(action="fhir.export")
    assert event.actor_username == "admin"
    assert event.after == {"resource_type": "Patient"}


def test_it_answers_404_for_an_unknown_export_type(fhir, token):
    assert fhir("$export/Spaceship.ndjson", token).status_code == 404
