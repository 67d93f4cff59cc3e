"""The FHIR Bulk Data flow as the IG (v2) writes it, with the real background worker: kick-off 202 with
Content-Location; status 202 with X-Progress and Retry-After; the worker runs; status 200 with the manifest;
each file downloaded with the token; DELETE 202; then 404. Files hold what existed at transactionTime:
a patient added after the kick-off but before the worker started is in them, one added while the worker
runs (after transactionTime) is not."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime

import pytest
from django.db import connection
from django.utils.http import parse_http_date

from ivig.audit.models import AuditEvent
from ivig.fhir import bulk_run
from ivig.fhir.models import ExportJob
from ivig.patients.models import Patient
from tests.factories.patients import CareSiteFactory
from tests.fhir_validation import validate_r4

from .bulk_flow import bearer, download, kick_off, poll, run_worker, status_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.IVIG_BULK_EXPORT_DIR = tmp_path / "exports"
    return settings.IVIG_BULK_EXPORT_DIR


def test_it_runs_a_system_export_through_the_worker(
    client, make_user, make_patient, make_token, export_dir, monkeypatch
):
    admin = make_user("Admin")
    token = make_token(admin)
    before = make_patient(admin, mrn="BULK1")
    Patient.objects.filter(pk=before.pk).update(care_site=CareSiteFactory(name="Day unit"))

    kicked = kick_off(client, token, "$export")

    assert kicked.status_code == 202, kicked.content
    location = kicked["Content-Location"]
    assert re.fullmatch(r"http://testserver/fhir/\$export-status/[0-9a-f-]{36}", location)
    job = ExportJob.objects.get()
    assert job.status == "accepted" and not export_dir.exists()  # nothing runs in the request

    waiting = poll(client, token, location)
    assert waiting.status_code == 202
    assert waiting["X-Progress"] and len(waiting["X-Progress"]) < 100
    assert waiting["Retry-After"].isdigit()

    between = make_patient(admin, mrn="BULK2")  # after the kick-off, before the worker starts
    seen: dict[str, object] = {}
    export_type = bulk_run.export_type

    def while_running(files, resource_type, found, progress):
        if resource_type == "Patient":

            def elsewhere():  # another connection, as another request would be
                try:
                    for _ in range(200):
                        running = poll(client, token, location)
                        if running["X-Progress"].startswith("Exporting Patient"):
                            break
                        time.sleep(0.02)
                    seen["running"] = (running.status_code, running["X-Progress"], running["Retry-After"])
                    seen["after"] = make_patient(admin, mrn="BULK3")
                finally:
                    connection.close()  # this thread's own

            thread = threading.Thread(target=elsewhere)
            thread.start()
            thread.join()
        export_type(files, resource_type, found, progress)

    monkeypatch.setattr(bulk_run, "export_type", while_running)

    run_worker()

    assert seen["running"][0] == 202
    assert re.match(r"Exporting Patient \(type \d+ of \d+\): \d+% of [\d,]+ resources", seen["running"][1])
    assert seen["running"][2].isdigit()
    done = poll(client, token, location)
    assert done.status_code == 200, done.content
    assert done["Content-Type"] == "application/json"
    assert parse_http_date(done["Expires"]) > time.time() + 23 * 3600
    manifest = done.data
    assert manifest["request"] == "http://testserver/fhir/$export"
    assert manifest["requiresAccessToken"] is True
    assert manifest["error"] == []
    transaction_time = datetime.fromisoformat(manifest["transactionTime"])
    after = seen["after"]
    assert between.updated_at <= transaction_time < after.updated_at
    types = [item["type"] for item in manifest["output"]]
    assert {"Patient", "Observation", "Group"} <= set(types)
    downloaded = {}
    for item in manifest["output"]:
        assert item["url"].startswith("http://testserver/fhir/$export-file/")
        resources = download(client, token, item["url"])
        assert len(resources) == item["count"] > 0
        assert {resource["resourceType"] for resource in resources} == {item["type"]}
        for resource in resources[:3]:
            validate_r4(resource)
        downloaded.setdefault(item["type"], []).extend(resources)
    patients = {resource["id"] for resource in downloaded["Patient"]}
    assert patients == {str(before.pk), str(between.pk)}  # not the one added after transactionTime
    assert Patient.objects.filter(pk=after.pk).exists()
    assert AuditEvent.objects.filter(action="fhir.export").count() == 1
    assert AuditEvent.objects.filter(action="fhir.export_download").count() == len(manifest["output"])

    gone = client.delete(status_path(kicked), **bearer(token))

    assert gone.status_code == 202
    assert poll(client, token, location).status_code == 404
    assert client.get(manifest["output"][0]["url"], **bearer(token)).status_code == 404
    assert not (export_dir / str(job.pk)).exists()
    assert AuditEvent.objects.filter(action="fhir.export_delete").count() == 1


def test_it_shows_an_export_only_to_its_user_and_admins(client, make_user, make_patient, make_token):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="OWN1")
    mine = make_token(nurse)
    kicked = kick_off(client, mine, "$export", _type="Patient")
    run_worker()
    location = kicked["Content-Location"]
    url = poll(client, mine, location).data["output"][0]["url"]
    other = make_token(make_user("Pharmacist"))
    admin = make_token(make_user("Admin"))

    assert client.get(status_path(kicked)).status_code == 401
    assert client.get(url.removeprefix("http://testserver")).status_code == 401
    assert poll(client, other, location).status_code == 404
    assert client.get(url.removeprefix("http://testserver"), **bearer(other)).status_code == 404
    assert client.delete(status_path(kicked), **bearer(other)).status_code == 404
    assert poll(client, admin, location).status_code == 200
    assert len(download(client, admin, url)) == 1
