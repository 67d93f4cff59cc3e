"""The worker's beat enqueues each periodic job when due, once across workers, never doubling a run."""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import close_old_connections
from django_tasks_db.models import DBTaskResult

from ivig import clock
from ivig.audit.models import AuditEvent
from ivig.followup.actions import start_follow_up
from ivig.ops import schedule
from ivig.ops.beat import beat
from ivig.ops.models import ScheduledJob, WorkerHeartbeat
from tests.integration.fhir.bulk_flow import run_worker


def _names(enqueued: list[schedule.Enqueued]) -> list[str]:
    return sorted(item.job for item in enqueued)


ALL = ["bulk-export-purge", "diary-reminders", "housekeeping"]  # and "backup" with IVIG_BACKUP_DIR


@pytest.mark.django_db
def test_it_enqueues_every_job_at_the_first_beat_and_not_again_until_due() -> None:
    now = clock.now()
    assert _names(schedule.enqueue_due(now)) == ALL
    assert schedule.enqueue_due(now) == []
    assert schedule.enqueue_due(now + timedelta(minutes=4)) == []
    rows = dict(ScheduledJob.objects.values_list("name", "next_run_at"))
    assert rows["diary-reminders"] == now + timedelta(minutes=5)
    assert rows["housekeeping"] == now + timedelta(days=1)


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_it_does_not_double_a_run_that_has_not_finished() -> None:
    now = clock.now()
    schedule.enqueue_due(now)
    # Five minutes on, the first reminder run is still waiting (no worker ran it): no second one is added.
    assert schedule.enqueue_due(now + timedelta(minutes=5)) == []
    assert DBTaskResult.objects.filter(task_path__endswith="send_reminders").count() == 1
    run_worker()  # runs them all
    assert _names(schedule.enqueue_due(now + timedelta(minutes=10))) == ["diary-reminders"]


@pytest.mark.django_db(transaction=True)
def test_it_sends_a_due_diary_reminder_through_the_worker(
    make_user: Any, make_dispensed_order: Any, portal_family: Any, mailoutbox: Any
) -> None:
    _, (child,) = portal_family("mum", "Noa", email="mum@example.org")
    start_follow_up(
        by=make_user("Nurse"),
        order=make_dispensed_order(patient=child),
        ended_at=clock.now() - timedelta(hours=25),
    )
    beat("worker-a")
    assert mailoutbox == []  # enqueued, not sent inside the beat
    run_worker()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert [message.to for message in mailoutbox] == [["mum@example.org"]]
    assert WorkerHeartbeat.objects.get(worker_id="worker-a").pid > 0


@pytest.mark.django_db(transaction=True)
def test_it_enqueues_once_when_two_workers_beat_at_the_same_moment() -> None:
    now = clock.now()
    results: list[list[schedule.Enqueued]] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            results.append(schedule.enqueue_due(now))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(name for run in results for name in _names(run)) == ALL
    assert DBTaskResult.objects.count() == len(ALL)


@pytest.mark.django_db(transaction=True)
def test_it_backs_up_nightly_into_the_backup_directory_and_drops_old_ones(
    tmp_path: Any, settings: Any
) -> None:
    settings.IVIG_BACKUP_DIR = str(tmp_path)
    settings.IVIG_BACKUP_KEEP_DAYS = 35
    old = tmp_path / "ivig-20200101-000000.sqlite3"
    old.write_bytes(b"old")
    os.utime(old, (0, 0))
    assert "backup" in _names(schedule.enqueue_due(clock.now()))
    run_worker()
    made = sorted(path.name for path in tmp_path.iterdir())
    assert len(made) == 2 and made[0].startswith("ivig-") and made[1] == made[0] + ".sha256"
    assert "ivig-20200101-000000.sqlite3" not in made
    assert AuditEvent.objects.filter(action="ops.backup").count() == 1
