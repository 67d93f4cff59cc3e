"""The production processes: gunicorn with production settings and the background worker, on this database."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)  # the processes read what the test database holds

ROOT = Path(settings.PROJECT_DIR)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, bytes, Any]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - http://127.0.0.1 only
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


@pytest.fixture
def production(tmp_path: Path) -> Iterator[dict[str, Any]]:
    port = _free_port()
    env = {
        **os.environ,
        "IVIG_ENV": "production",
        "SECRET_KEY": "a-test-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": _database_url(),
        "IVIG_VAR_DIR": str(tmp_path),
        "IVIG_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "IVIG_WORKER_BEAT_SECONDS": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        env=env,
        cwd=ROOT,
        stderr=subprocess.PIPE,
    )
    worker = subprocess.Popen(
        [*manage, "db_worker", "--no-reload", "--interval", "0.2", "--verbosity", "0"],
        env=env,
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield {"base": f"http://127.0.0.1:{port}", "web": web}
    finally:
        for process in (web, worker):
            process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _ready(base: str, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        try:
            status, raw, _ = _get(f"{base}/readyz")
        except OSError:  # not listening yet
            time.sleep(0.3)
            continue
        body = json.loads(raw)
        if status == 200:
            return body
        time.sleep(0.3)
    raise AssertionError(f"not ready after {seconds} s: {body}")


def test_it_serves_health_pages_static_files_and_summed_metrics(production: dict[str, Any]) -> None:
    base = production["base"]
    body = _ready(base, 60)
    assert body["checks"]["worker"]["ok"] and body["checks"]["migrations"]["ok"]

    status, raw, headers = _get(f"{base}/healthz")
    assert status == 200 and headers["X-Request-ID"]
    status, raw, _ = _get(f"{base}/accounts/login/")
    assert status == 200 and b"Sign in" in raw
    css = next(
        part for part in raw.decode().split('"') if part.startswith("/static/") and part.endswith(".css")
    )
    status, _, headers = _get(base + css)
    assert status == 200 and "max-age" in headers["Cache-Control"]  # whitenoise's hashed file

    for _ in range(6):  # spread over both gunicorn workers
        _get(f"{base}/healthz")
    status, raw, _ = _get(f"{base}/metrics")
    text = raw.decode()
    assert status == 200
    total = sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("django_http_responses_total_by_status_view_method_total{")
        and 'view="ops:healthz"' in line
    )
    assert total >= 7
    assert "ivig_worker_heartbeat_age_seconds" in text


def test_it_logs_json_lines_with_the_request_id(production: dict[str, Any]) -> None:
    base = production["base"]
    _ready(base, 60)
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        f"{base}/healthz", headers={"X-Request-ID": "probe-1234-abcd"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http://127.0.0.1 only
        assert response.headers["X-Request-ID"] == "probe-1234-abcd"
    production["web"].send_signal(signal.SIGTERM)
    _, errors = production["web"].communicate(timeout=30)
    lines = [json.loads(line) for line in errors.decode().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == "probe-1234-abcd"]
    assert mine and mine[0]["logger"] == "ivig.request" and mine[0]["status"] == 200
