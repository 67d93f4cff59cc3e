"""/metrics: requests, database and task-queue metrics, for the allowed addresses or the bearer token only."""

from __future__ import annotations

from typing import Any

import pytest

from ivig.ops.beat import beat

pytestmark = pytest.mark.django_db


def test_it_serves_request_database_and_task_metrics_to_localhost(client: Any) -> None:
    beat("worker-a")
    client.get("/healthz")
    body = client.get("/metrics").content.decode()
    by_view = (
        "django_http_responses_total_by_status_view_method_total"
        '{method="GET",status="200",view="ops:healthz"}'
    )
    assert by_view in body
    assert "django_db_execute_total{" in body
    assert 'ivig_tasks{status="READY"} 3.0' in body
    assert 'ivig_scheduled_job_overdue_seconds{job="diary-reminders"}' in body
    assert "ivig_worker_heartbeat_age_seconds " in body


def test_it_refuses_other_addresses(client: Any) -> None:
    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 403
    assert b"ivig_tasks" not in response.content


def test_it_serves_an_allowed_network_and_a_bearer_token(client: Any, settings: Any) -> None:
    settings.IVIG_METRICS_ALLOWED = ["10.0.0.0/8"]
    settings.IVIG_METRICS_TOKEN = "s3cret-token-for-prometheus"
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 403
    good = {"HTTP_AUTHORIZATION": "Bearer s3cret-token-for-prometheus"}
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7", **good).status_code == 200
    bad = {"HTTP_AUTHORIZATION": "Bearer s3cret-token-for-prometheuS"}
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7", **bad).status_code == 403
