"""A bulk export is in the access log served as AuditEvent too (issue 18: every read, search and export is
audited and served as FHIR AuditEvent): the $export operation, each file downloaded, a cancel."""

from __future__ import annotations

import pytest

from tests.fhir_validation import validate_r4

from .bulk_flow import bearer, kick_off

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.IVIG_BULK_EXPORT_DIR = tmp_path / "exports"


def test_it_serves_an_export_and_its_cancel_as_operation_audit_events(
    client, fhir, make_user, make_token, make_patient
):
    nurse = make_user("Nurse")
    make_patient(nurse)
    token = make_token(make_user("Admin"), name="Warehouse")
    kicked = kick_off(client, token, "Patient/$export", _type="Patient")
    assert kicked.status_code == 202, kicked.content
    client.delete(kicked["Content-Location"].removeprefix("http://testserver"), **bearer(token))

    response = fhir("AuditEvent", make_token(make_user("Quality")), subtype="operation")

    assert response.status_code == 200, response.data
    events = [entry["resource"] for entry in response.data["entry"]]
    for event in events:
        validate_r4(event)
        assert event["subtype"][0]["code"] == "operation"
    assert sorted(event["action"] for event in events) == ["D", "E"]
    started = next(event for event in events if event["action"] == "E")
    assert "Bulk export (patient) of Patient" in started["entity"][0]["description"]
