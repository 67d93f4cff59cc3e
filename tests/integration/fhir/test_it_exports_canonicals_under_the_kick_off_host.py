"""The worker has no request: the exported resources' canonical URLs (our CodeSystems, the diary's
Questionnaire) are under the address the export was asked at, as a read of the same resource gives."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from ivig.patients.lab_actions import check_lab_value, record_lab_results

from .bulk_flow import KICK_OFF_HEADERS, bearer, download, poll, run_worker

pytestmark = pytest.mark.django_db(transaction=True)
HOST = "ivig.hospital.example"


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.IVIG_BULK_EXPORT_DIR = tmp_path / "exports"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    settings.IVIG_PUBLIC_URL = ""


def _systems(value):
    if isinstance(value, dict):
        found = [value["system"]] if isinstance(value.get("system"), str) else []
        return found + [s for item in value.values() for s in _systems(item)]
    if isinstance(value, list):
        return [s for item in value for s in _systems(item)]
    return []


def test_it_writes_canonicals_under_the_kick_off_host(client, make_user, make_patient, make_token):
    admin = make_user("Admin")
    token = make_token(admin)
    patient = make_patient(admin)
    entry = check_lab_value(
        patient=patient, kind="igg", value=Decimal("7.5"), unit="g/L", taken_on=date(2026, 1, 5)
    )
    record_lab_results(by=admin, entries=[entry])

    kicked = client.get(
        "/fhir/$export", {"_type": "Observation"}, HTTP_HOST=HOST, **KICK_OFF_HEADERS, **bearer(token)
    )
    assert kicked.status_code == 202, kicked.content
    run_worker()
    manifest = poll(client, token, kicked["Content-Location"].replace(f"http://{HOST}", "")).data
    exported = [r for item in manifest["output"] for r in download(client, token, item["url"])]
    read = json.loads(
        client.get(
            f"/fhir/Observation/{next(r for r in exported if r['id'].startswith('lab-'))['id']}",
            HTTP_HOST=HOST,
            **bearer(token),
        ).content
    )

    ours = [s for s in _systems(exported) if "/fhir/" in s]
    assert ours, "the lab result cites our lab-kind CodeSystem"
    assert all(s.startswith(f"http://{HOST}/fhir/") for s in ours), ours
    assert sorted(_systems(read)) == sorted(_systems([r for r in exported if r["id"] == read["id"]]))
