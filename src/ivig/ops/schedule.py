"""The periodic jobs, and enqueuing the ones that are due: the worker needs no cron.

Each worker's beat (ivig.ops.beat) calls `enqueue_due` every few seconds. A job's row holds when it is next
due; moving it forward is a compare-and-set on the old time, so of several workers exactly one enqueues
each run. A run still waiting or running is not doubled: the next is skipped until it has finished.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ivig.fhir.tasks import purge_exports
from ivig.followup.tasks import send_reminders
from ivig.ops.models import ScheduledJob
from ivig.ops.tasks import housekeeping, nightly_backup


@dataclass(frozen=True)
class Job:
    name: str
    task: Any  # a django-tasks Task taking no arguments
    every: timedelta
    does: str


def jobs() -> tuple[Job, ...]:
    backup: tuple[Job, ...] = ()
    if settings.IVIG_BACKUP_DIR:
        backup = (
            Job(
                "backup",
                nightly_backup,
                timedelta(days=1),
                "back up the database into IVIG_BACKUP_DIR, keeping IVIG_BACKUP_KEEP_DAYS days",
            ),
        )
    return (
        Job(
            "diary-reminders",
            send_reminders,
            timedelta(minutes=settings.IVIG_REMINDER_EVERY_MINUTES),
            "after-infusion diary reminders at 24, 48 and 72 h (never twice)",
        ),
        Job(
            "bulk-export-purge",
            purge_exports,
            timedelta(hours=1),
            "delete FHIR bulk export files past their expiry",
        ),
        Job(
            "housekeeping",
            housekeeping,
            timedelta(days=1),
            "expired sessions and OAuth tokens, old task rows, gone workers",
        ),
        *backup,
    )


@dataclass(frozen=True)
class Enqueued:
    job: str
    task_id: str


def enqueue_due(now: datetime) -> list[Enqueued]:
    """Enqueue every job whose time has come, once across all workers; return what this call enqueued."""
    enqueued = []
    for job in jobs():
        row = _row(job, now)
        if row.next_run_at > now:
            continue
        with transaction.atomic():
            won = ScheduledJob.objects.filter(name=job.name, next_run_at=row.next_run_at).update(
                next_run_at=now + job.every, last_enqueued_at=now
            )
            if not won or _still_pending(row.last_task_id):
                continue
            result = job.task.enqueue()
            ScheduledJob.objects.filter(name=job.name).update(last_task_id=result.id)
        enqueued.append(Enqueued(job.name, result.id))
    return enqueued


def _row(job: Job, now: datetime) -> ScheduledJob:
    try:
        with transaction.atomic():
            row, _ = ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    except IntegrityError:  # another worker created it first
        row = ScheduledJob.objects.get(name=job.name)
    return row


def _still_pending(task_id: str) -> bool:
    if not task_id:
        return False
    return DBTaskResult.objects.filter(
        id=task_id, status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING)
    ).exists()
