"""Bulk Data files expire (IVIG_BULK_EXPORT_HOURS after the export, the manifest's Expires header) and are
deleted: by the clean-up task the worker queues for that moment, and by the next poll or kick-off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from ivig import clock
from ivig.fhir import tasks
from ivig.fhir.models import ExportJob

from .bulk_flow import kick_off, poll, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.IVIG_BULK_EXPORT_DIR = tmp_path / "exports"
    settings.IVIG_BULK_EXPORT_HOURS = 2
    yield settings.IVIG_BULK_EXPORT_DIR
    clock.reset()


def test_it_deletes_files_once_they_expire(client, make_user, make_patient, make_token, export_dir):
    admin = make_user("Admin")
    token = make_token(admin)
    make_patient(admin, mrn="X1")
    first = kick_off(client, token, "$export", _type="Patient")
    second = kick_off(client, token, "$export", _type="Patient")
    run_worker()
    jobs = {job.pk: job for job in ExportJob.objects.all()}
    assert all(job.status == "complete" for job in jobs.values())
    assert all((export_dir / str(pk) / "Patient-1.ndjson").is_file() for pk in jobs)
    expires = next(iter(jobs.values())).expires_at
    cleanup = DBTaskResult.objects.filter(task_path="ivig.fhir.tasks.purge_exports")
    assert cleanup.count() == 2 and all(abs(t.run_after - expires) < timedelta(minutes=1) for t in cleanup)
    assert poll(client, token, first["Content-Location"]).status_code == 200

    clock.set_now(expires + timedelta(minutes=5))  # the clock moves past the Expires header

    assert tasks.purge_exports.call() == {"expired": 2, "orphans": 0}
    assert not any((export_dir / str(pk)).exists() for pk in jobs)
    assert poll(client, token, first["Content-Location"]).status_code == 404
    assert poll(client, token, second["Content-Location"]).status_code == 404
    assert set(ExportJob.objects.values_list("status", flat=True)) == {"expired"}


def test_it_deletes_expired_files_on_the_next_poll(client, make_user, make_patient, make_token, export_dir):
    admin = make_user("Admin")
    token = make_token(admin)
    make_patient(admin, mrn="X2")
    kicked = kick_off(client, token, "$export", _type="Patient")
    run_worker()
    job = ExportJob.objects.get()
    clock.set_now(job.expires_at + timedelta(seconds=1))

    assert poll(client, token, kicked["Content-Location"]).status_code == 404
    assert not (export_dir / str(job.pk)).exists()
