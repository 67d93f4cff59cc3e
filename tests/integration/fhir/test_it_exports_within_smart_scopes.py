"""A bulk export started with a SMART access token reads, in the worker, no more than the token may:
its scopes' types, and with patient/ scopes only the launch patient's records."""

from __future__ import annotations

import pytest

from .bulk_flow import download, kick_off, poll, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.IVIG_BULK_EXPORT_DIR = tmp_path / "exports"


def _exported(client, token, kicked):
    manifest = poll(client, token, kicked["Content-Location"]).data
    found: dict[str, list[dict]] = {}
    for item in manifest["output"]:
        found.setdefault(item["type"], []).extend(download(client, token, item["url"]))
    return found


def test_the_worker_keeps_to_the_tokens_scopes_and_launch_patient(
    client, make_user, make_patient, smart_token
):
    nurse = make_user("Nurse")
    mine, other = make_patient(nurse, mrn="S1"), make_patient(nurse, mrn="S2")
    launched = smart_token(nurse, "patient/*.rs", patient=mine)
    patients_only = smart_token(nurse, "user/Patient.rs")

    first = kick_off(client, launched, "Patient/$export")
    second = kick_off(client, patients_only, "$export")
    assert first.status_code == second.status_code == 202
    run_worker()

    launch_files = _exported(client, launched, first)
    assert [r["id"] for r in launch_files["Patient"]] == [str(mine.pk)]
    assert {r["subject"]["reference"] for r in launch_files["Observation"]} == {f"Patient/{mine.pk}"}
    patient_files = _exported(client, patients_only, second)
    assert set(patient_files) == {"Patient"}
    assert {r["id"] for r in patient_files["Patient"]} == {str(mine.pk), str(other.pk)}
    assert kick_off(client, patients_only, "$export", _type="Observation").status_code == 403


def test_it_audits_a_launch_patients_export_under_that_patient(client, make_user, make_patient, smart_token):
    from ivig.audit.models import AuditEvent

    nurse = make_user("Nurse")
    mine = make_patient(nurse, mrn="S1")
    launched = smart_token(nurse, "patient/*.rs", patient=mine)

    kicked = kick_off(client, launched, "Patient/$export", _type="Patient")
    run_worker()
    _exported(client, launched, kicked)

    rows = AuditEvent.objects.filter(action__startswith="fhir.export").values_list("action", "patient_id")
    assert sorted(rows) == [("fhir.export", mine.pk), ("fhir.export_download", mine.pk)]
