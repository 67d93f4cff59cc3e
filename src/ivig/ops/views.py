"""Health, readiness and metrics endpoints for the load balancer, the orchestrator and Prometheus."""

from __future__ import annotations

import hmac
import ipaddress

import prometheus_client
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from ivig.accounts.access import public
from ivig.accounts.throttle import client_address
from ivig.ops.health import readiness
from ivig.ops.metrics import metrics_page


@public
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers: touches nothing else, so a slow database does not get the process restarted."""
    return JsonResponse({"status": "ok"})


@public
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    checks = readiness()
    ready = all(check.ok for check in checks)
    body = {
        "status": "ready" if ready else "not ready",
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    return JsonResponse(body, status=200 if ready else 503)


@public
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, for the addresses or the bearer token the site allows (IVIG_METRICS_*)."""
    if not _may_scrape(request):
        return HttpResponse("Metrics are not served to this client.\n", status=403, content_type="text/plain")
    return HttpResponse(metrics_page(), content_type=prometheus_client.CONTENT_TYPE_LATEST)


def _may_scrape(request: HttpRequest) -> bool:
    token = settings.IVIG_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(client_address(request) or "")
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(allowed, strict=False) for allowed in settings.IVIG_METRICS_ALLOWED
    )
