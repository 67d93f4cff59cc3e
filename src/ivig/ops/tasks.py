"""Housekeeping the worker runs once a day (ivig.ops.schedule): nothing here touches clinical records."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from oauth2_provider.models import clear_expired

from ivig import clock
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
