"""DELETE on a Bulk Data status URL: a waiting export never runs, a running one stops (the worker sees the
cancel and removes what it wrote); the status URL then answers 404. An export that fails answers 500 with
an OperationOutcome."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.db import connection

from ivig.audit.models import AuditEvent
from ivig.fhir import bulk_run, tasks
from ivig.fhir.models import ExportJob

from .bulk_flow import bearer, kick_off, poll, run_worker, status_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.IVIG_BULK_EXPORT_DIR = tmp_path / "exports"
    return settings.IVIG_BULK_EXPORT_DIR


@pytest.fixture
def admin(make_user, make_token, make_patient):
    user = make_user("Admin")
    make_patient(user, mrn="C1")
    return make_token(user)


def test_it_cancels_a_waiting_export(client, admin, export_dir):
    kicked = kick_off(client, admin)

    assert client.delete(status_path(kicked), **bearer(admin)).status_code == 202
    run_worker()

    assert poll(client, admin, kicked["Content-Location"]).status_code == 404
    assert ExportJob.objects.get().status == "cancelled"
    assert not export_dir.exists()
    assert AuditEvent.objects.filter(action="fhir.export_cancel").count() == 1
    assert client.delete(status_path(kicked), **bearer(admin)).status_code == 404


def test_it_cleans_up_what_cancelled_exports_left(client, admin, export_dir):
    kicked = kick_off(client, admin)
    client.delete(status_path(kicked), **bearer(admin))
    left = export_dir / str(ExportJob.objects.get().pk)
    left.mkdir(parents=True)  # as a worker stopped mid-export would leave it
    unknown = export_dir / str(uuid.uuid4())  # another database's export (a test run beside the server)
    unknown.mkdir()

    assert tasks.purge_exports.call() == {"expired": 0, "orphans": 1}
    assert not left.exists() and unknown.exists()


def test_it_stops_a_running_export(client, admin, export_dir, monkeypatch):
    kicked = kick_off(client, admin, "$export", _type="Observation,Patient")
    monkeypatch.setattr(bulk_run, "PROGRESS_SECONDS", 0.01)
    export_type = bulk_run.export_type
    answers = []

    def cancel_now(files, resource_type, found, progress):
        if resource_type == "Patient":  # Observation is already written
            assert list(export_dir.glob("*/Observation-1.ndjson"))

            def elsewhere():  # another connection, as another request would be
                try:
                    answers.append(client.delete(status_path(kicked), **bearer(admin)).status_code)
                finally:
                    connection.close()  # this thread's own

            thread = threading.Thread(target=elsewhere)
            thread.start()
            thread.join()
            for _ in range(500):  # the monitor sees the cancel and tells the reader
                if progress.cancelled:
                    break
                time.sleep(0.01)
        export_type(files, resource_type, found, progress)

    monkeypatch.setattr(bulk_run, "export_type", cancel_now)
    run_worker()

    assert answers == [202]
    assert ExportJob.objects.get().status == "cancelled"
    assert not list(export_dir.glob("*/*"))  # what it had written is gone
    assert poll(client, admin, kicked["Content-Location"]).status_code == 404


def test_it_reports_a_failed_export(client, admin, monkeypatch):
    def broken(files, resource_type, found, progress):
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk_run, "export_type", broken)
    kicked = kick_off(client, admin)
    run_worker()

    failed = poll(client, admin, kicked["Content-Location"])

    assert failed.status_code == 500
    assert failed.data["resourceType"] == "OperationOutcome"
    assert "RuntimeError" in failed.data["issue"][0]["diagnostics"]
    assert "disk full" in ExportJob.objects.get().failure  # for staff, not for the client
    assert client.delete(status_path(kicked), **bearer(admin)).status_code == 202
    assert poll(client, admin, kicked["Content-Location"]).status_code == 404
