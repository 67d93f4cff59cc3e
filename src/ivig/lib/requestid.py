"""A request id for every request: taken from the proxy's X-Request-ID when well formed, else made here.

It is on every log line of the request (ivig.lib.logs), on the response's X-Request-ID header, and in one
access line per request (logger `ivig.request`: method, path, status, milliseconds, user id).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ivig.lib.logs import request_id

logger = logging.getLogger("ivig.request")
# What a proxy may hand on: short and plain, so a forged header cannot inject into the logs.
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,64}")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        value = given if _WELL_FORMED.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(value)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = value
            user = getattr(request, "user", None)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id.reset(token)
