"""Readiness: the database answers, every migration is applied, a worker beat recently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from ivig import clock
from ivig.ops.models import WorkerHeartbeat


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


_migrations_applied = False  # once true it stays true: a new migration comes with a new release and restart


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return Check("database", False, f"unreachable: {type(error).__name__}")
    return Check("database", True, connection.vendor)


def migrations() -> Check:
    global _migrations_applied
    if not _migrations_applied:
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            return Check("migrations", False, f"cannot be read: {type(error).__name__}")
        if plan:
            return Check("migrations", False, f"{len(plan)} not applied: run `manage.py migrate`")
        _migrations_applied = True
    return Check("migrations", True, "all applied")


def worker() -> Check:
    stale_after = timedelta(seconds=settings.IVIG_WORKER_STALE_SECONDS)
    try:
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    except DatabaseError as error:
        return Check("worker", False, f"heartbeat cannot be read: {type(error).__name__}")
    if last is None:
        return Check("worker", False, "no worker has ever beaten: start `manage.py db_worker`")
    age = clock.now() - last
    if age > stale_after:
        return Check("worker", False, f"last heartbeat {int(age.total_seconds())} s ago")
    return Check("worker", True, f"last heartbeat {max(0, int(age.total_seconds()))} s ago")


def readiness() -> list[Check]:
    first = database()
    if not first.ok:  # nothing else can be read
        return [first, Check("migrations", False, "database unreachable"), Check("worker", False, "unknown")]
    return [first, migrations(), worker()]
