"""Prometheus metrics beyond django-prometheus's requests and database: the task queue and the worker."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.db import DatabaseError
from django.db.models import Count, Min
from django_tasks.base import TaskResultStatus
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from ivig import clock
from ivig.lib.process import process_marker

logger = logging.getLogger(__name__)
_registered = False


class TaskQueueCollector(Collector):
    """Read at each scrape: tasks by status, the oldest waiting task, the newest worker heartbeat."""

    def describe(self) -> Iterator[Any]:
        # Without this, registering would call collect() to learn the names: a query at start-up.
        yield from _families()

    def collect(self) -> Iterator[Any]:
        from django_tasks_db.models import DBTaskResult

        from ivig.ops.models import ScheduledJob, WorkerHeartbeat

        by_status, waiting, heartbeat, overdue = _families()
        now = clock.now()
        try:
            counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
            ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
            oldest = ready.aggregate(t=Min("enqueued_at"))["t"]
            last_beat = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
            jobs = list(ScheduledJob.objects.values_list("name", "next_run_at"))
        except DatabaseError:
            logger.warning("task queue metrics unavailable: the database did not answer")
            return
        for status in TaskResultStatus:
            by_status.add_metric([status.value], counts.get(status.value, 0))
        waiting.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
        heartbeat.add_metric([], (now - last_beat).total_seconds() if last_beat else -1.0)
        for name, next_run_at in jobs:
            overdue.add_metric([name], max(0.0, (now - next_run_at).total_seconds()))
        yield from (by_status, waiting, heartbeat, overdue)


def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily]:
    return (
        GaugeMetricFamily("ivig_tasks", "Background task rows by status", labels=["status"]),
        GaugeMetricFamily(
            "ivig_task_oldest_waiting_seconds", "Age of the oldest task ready to run (0: none waiting)"
        ),
        GaugeMetricFamily(
            "ivig_worker_heartbeat_age_seconds", "Seconds since a worker last beat (-1: never)"
        ),
        GaugeMetricFamily(
            "ivig_scheduled_job_overdue_seconds",
            "Seconds a periodic job is past due (0: not due)",
            labels=["job"],
        ),
    )


def metrics_page() -> bytes:
    """The metrics in Prometheus's text format: this process's, or under gunicorn every worker's.

    With PROMETHEUS_MULTIPROC_DIR set (deploy/gunicorn.conf.py sets it), each worker process writes its
    counters there and a scrape reaching any one of them adds them all up; the task queue is read once.
    """
    if process_marker("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(TaskQueueCollector())
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def register() -> None:
    global _registered
    if not _registered:
        REGISTRY.register(TaskQueueCollector())
        _registered = True
