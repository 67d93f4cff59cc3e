"""The worker's beat: a heartbeat for /readyz and the schedule of periodic jobs, in a thread of the worker."""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.db import DatabaseError, close_old_connections

from ivig import clock
from ivig.ops import schedule
from ivig.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def beat(worker_id: str, started_at: object = None) -> list[schedule.Enqueued]:
    """Say this worker is alive, then enqueue the periodic jobs that are due."""
    now = clock.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id[:64],
        defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": now},
        create_defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "seen_at": now,
            "started_at": started_at or now,
        },
    )
    return schedule.enqueue_due(now)


class Beat(threading.Thread):
    """Beats every `interval_s` seconds until stopped; a database error is logged and tried again."""

    def __init__(self, worker_id: str, interval_s: float) -> None:
        super().__init__(name="ivig-beat", daemon=True)
        self.worker_id, self.interval_s = worker_id, interval_s
        self.started_at = clock.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        while True:
            try:
                for job in beat(self.worker_id, self.started_at):
                    logger.info("scheduled %s (task %s)", job.job, job.task_id)
            except DatabaseError:
                logger.exception("worker beat failed; trying again in %s s", self.interval_s)
            finally:
                close_old_connections()
            if self.stopped.wait(self.interval_s):
                return

    def stop(self) -> None:
        self.stopped.set()
