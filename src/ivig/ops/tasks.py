"""Daily jobs of the worker (ivig.ops.schedule): housekeeping, and the nightly backup when one is set up."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from oauth2_provider.models import clear_expired

from ivig import clock
from ivig.ops.actions import backup_into
from ivig.ops.models import WorkerHeartbeat

# Finished task rows are kept this long for the record of what ran (and for `manage.py` inspection).
TASK_RESULTS_KEPT = timedelta(days=30)
# A worker not heard from for this long has gone: its heartbeat row is removed.
HEARTBEATS_KEPT = timedelta(days=1)


@task()
def housekeeping() -> dict[str, int]:
    """Delete expired sessions and OAuth tokens, old finished task rows and gone workers' heartbeats."""
    now = clock.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    clear_expired()  # django-oauth-toolkit: expired access, refresh and ID tokens and grants
    results, _ = DBTaskResult.objects.filter(
        status__in=(TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED),
        finished_at__lt=now - TASK_RESULTS_KEPT,
    ).delete()
    heartbeats, _ = WorkerHeartbeat.objects.filter(seen_at__lt=now - HEARTBEATS_KEPT).delete()
    return {"sessions": sessions, "task_results": results, "heartbeats": heartbeats}


@task()
def nightly_backup() -> dict[str, str | int]:
    """Back up the database into IVIG_BACKUP_DIR, deleting backups older than IVIG_BACKUP_KEEP_DAYS."""
    copy = backup_into(Path(settings.IVIG_BACKUP_DIR), keep=timedelta(days=settings.IVIG_BACKUP_KEEP_DAYS))
    return {"file": copy.file, "sha256": copy.sha256, "bytes": copy.size_bytes}
