"""`_since` (which the Bulk Data IG requires servers to support): only resources changed after the instant,
so a client can follow up an export with one of what changed since its transactionTime."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ivig.patients.models import Patient

from .bulk_flow import download, kick_off, poll, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.IVIG_BULK_EXPORT_DIR = tmp_path / "exports"


def _exported_patients(client, token, location):
    manifest = poll(client, token, location).data
    return {r["id"] for item in manifest["output"] for r in download(client, token, item["url"])}, manifest


def test_it_exports_only_what_changed_since_an_instant(client, make_user, make_patient, make_token):
    admin = make_user("Admin")
    token = make_token(admin)
    old = make_patient(admin, mrn="OLD1")
    Patient.objects.filter(pk=old.pk).update(updated_at=datetime(2020, 1, 1, tzinfo=UTC))
    new = make_patient(admin, mrn="NEW1")

    kicked = kick_off(client, token, "$export", _type="Patient", _since="2024-06-01T00:00:00.000+00:00")
    assert kicked.status_code == 202, kicked.content
    everything = kick_off(client, token, "$export", _type="Patient")
    run_worker()

    since, manifest = _exported_patients(client, token, kicked["Content-Location"])
    assert since == {str(new.pk)}
    assert manifest["request"].endswith("_since=2024-06-01T00%3A00%3A00.000%2B00%3A00")
    first, first_manifest = _exported_patients(client, token, everything["Content-Location"])
    assert first == {str(old.pk), str(new.pk)}

    old.given_name = "Renamed"
    old.save()  # changed after the first export's transactionTime
    follow_up = kick_off(client, token, "$export", _type="Patient", _since=first_manifest["transactionTime"])
    run_worker()

    changed, _manifest = _exported_patients(client, token, follow_up["Content-Location"])
    assert changed == {str(old.pk)}
