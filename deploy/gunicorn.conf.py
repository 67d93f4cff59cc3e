"""gunicorn settings for ivig (`gunicorn -c deploy/gunicorn.conf.py`); values come from the environment.

IVIG_BIND (127.0.0.1:8000), WEB_CONCURRENCY (worker processes: 2 x cores + 1), IVIG_FORWARDED_ALLOW_IPS
(the proxy addresses whose X-Forwarded-* headers are believed: 127.0.0.1). Metrics from every worker are
added up through PROMETHEUS_MULTIPROC_DIR (made fresh at start, emptied of a dead worker's files).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

wsgi_app = "ivig.config.wsgi:application"
bind = os.environ.get("IVIG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
# A worker stuck longer than this is killed and replaced; long work belongs in the background worker.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Replace each worker after this many requests (with jitter, so they do not all restart at once).
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("IVIG_FORWARDED_ALLOW_IPS", "127.0.0.1")
# ivig logs one access line a request itself (logger ivig.request, JSON in production), with its request id.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("IVIG_GUNICORN_LOG_LEVEL", "info")
proc_name = "ivig-web"

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="ivig-metrics-")


def on_starting(server: Any) -> None:
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(directory, ignore_errors=True)  # counters of an earlier run would be added in
    os.makedirs(directory, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
