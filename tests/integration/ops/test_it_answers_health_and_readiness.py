"""/healthz says the process answers; /readyz checks the database, the migrations and the worker's beat."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder

from ivig import clock
from ivig.ops import health
from ivig.ops.beat import beat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_migration_check(monkeypatch: Any) -> None:
    monkeypatch.setattr(health, "_migrations_applied", False)


def test_it_answers_healthz_to_anyone_without_touching_the_database(client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(connection, "cursor", _refuse)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_it_is_not_ready_before_a_worker_has_beaten(client: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] and checks["migrations"]["ok"]
    assert not checks["worker"]["ok"]
    assert "db_worker" in checks["worker"]["detail"]


def test_it_is_ready_with_a_recent_heartbeat_and_not_with_a_stale_one(client: Any, settings: Any) -> None:
    settings.IVIG_WORKER_STALE_SECONDS = 120
    clock.set_now(clock.now())
    try:
        beat("worker-a")
        response = client.get("/readyz")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "ready"
        clock.advance(seconds=121)
        response = client.get("/readyz")
        assert response.status_code == 503
        assert "121 s ago" in response.json()["checks"]["worker"]["detail"]
    finally:
        clock.reset()


def test_it_is_not_ready_with_a_migration_unapplied(client: Any) -> None:
    beat("worker-a")
    MigrationRecorder.Migration.objects.filter(app="ops", name="0001_initial").delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    migrations = response.json()["checks"]["migrations"]
    assert migrations == {"ok": False, "detail": "1 not applied: run `manage.py migrate`"}


def test_it_is_not_ready_when_the_database_does_not_answer(client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(health.connection, "cursor", _refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": False, "detail": "unreachable: OperationalError"}
    assert not checks["migrations"]["ok"] and not checks["worker"]["ok"]


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("connection refused")
