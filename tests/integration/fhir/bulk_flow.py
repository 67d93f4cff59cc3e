"""Helpers for the Bulk Data tests: a client's requests as the IG writes them, and the real worker."""

from __future__ import annotations

import json
import signal
from typing import Any

from django.core.management import call_command

KICK_OFF_HEADERS = {"HTTP_ACCEPT": "application/fhir+json", "HTTP_PREFER": "respond-async"}


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def kick_off(client: Any, token: str, path: str = "$export", **params: Any) -> Any:
    """GET a kick-off URL (relative to /fhir/) with the IG's headers."""
    return client.get(f"/fhir/{path}", params, **KICK_OFF_HEADERS, **bearer(token))


def status_path(response: Any) -> str:
    """The Content-Location of a kick-off, as a path the test client can GET."""
    return str(response["Content-Location"]).removeprefix("http://testserver")


def poll(client: Any, token: str, url: str) -> Any:
    path = url.removeprefix("http://testserver")
    response = client.get(path, HTTP_ACCEPT="application/json", **bearer(token))
    if response.status_code != 202 and response.content:
        response.data = json.loads(response.content)
    return response


def download(client: Any, token: str, url: str) -> list[dict[str, Any]]:
    response = client.get(url.removeprefix("http://testserver"), **bearer(token))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/fhir+ndjson"
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines()]


def run_worker() -> None:
    """Run the background worker (manage.py db_worker) until no task is ready, in this process.

    The command installs its own signal handlers (graceful shutdown on Ctrl-C); pytest's are put back after.
    """
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {number: signal.getsignal(number) for number in signals}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
