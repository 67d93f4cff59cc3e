"""The worker's heartbeat and its schedule of periodic jobs."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """A background worker says it is alive: /readyz asks for a recent one."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.hostname} (pid {self.pid})"


class ScheduledJob(models.Model):
    """When a periodic job (ivig.ops.schedule.JOBS) is next due. Moved forward by whoever enqueues it."""

    name = models.CharField(max_length=64, primary_key=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: next at {self.next_run_at:%Y-%m-%d %H:%M}"


class DatabaseCopy(models.Model):
    """A backup made or restored by `manage.py backup` / `restore`: the audit event's target."""

    class Kind(models.TextChoices):
        BACKUP = "backup", "Backup"
        RESTORE = "restore", "Restore"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    at = models.DateTimeField()
    file = models.CharField(max_length=1000)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.BigIntegerField()
    vendor = models.CharField(max_length=20)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file} at {self.at:%Y-%m-%d %H:%M}"
