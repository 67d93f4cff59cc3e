"""Every request has an id (the proxy's, when well formed): on the response, the access line and each log."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from ivig.lib.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_it_hands_on_a_well_formed_request_id_and_logs_the_request(client: Any, caplog: Any) -> None:
    with caplog.at_level(logging.INFO, logger="ivig.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a-2b91-cc04")
    assert response["X-Request-ID"] == "lb-7f3a-2b91-cc04"
    (record,) = [r for r in caplog.records if r.name == "ivig.request"]
    assert (record.method, record.path, record.status) == ("GET", "/healthz", 200)
    assert record.duration_ms >= 0


@pytest.mark.parametrize("given", ["", "short", "a" * 65, "bad id\nINFO forged line", "<script>"])
def test_it_makes_its_own_id_when_the_given_one_is_malformed(client: Any, given: str) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    made = response["X-Request-ID"]
    assert made != given and len(made) == 32 and made.isalnum()


def test_it_formats_a_record_as_one_json_line_with_the_request_id_and_extras() -> None:
    record = logging.LogRecord("ivig.request", logging.INFO, __file__, 1, "GET %s", ("/x",), None)
    record.status = 200
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET /x"
    assert entry["level"] == "INFO" and entry["logger"] == "ivig.request"
    assert entry["request_id"] == "-" and entry["status"] == 200
    assert entry["time"].endswith("+00:00")
