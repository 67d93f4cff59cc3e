"""Security headers Django 5.2 does not set itself: the Content-Security-Policy (django-csp, with the admin's
relaxation), Permissions-Policy, Cross-Origin-Resource-Policy and no-store for clinical answers."""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from ivig.lib.headers import CSP_ADMIN_UPDATE, PERMISSIONS_POLICY


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """settings.CONTENT_SECURITY_POLICY on every response; the admin also allows its own inline code."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith("/admin/") and parts.update is None:
            parts.update = dict(CSP_ADMIN_UPDATE)
        return parts


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        # FHIR answers carry patient data for a bearer token, not a session. Also, HTTP caches that store a
        # kept-alive answer hang some clients (the SMART Bulk Data client's got 11 cache on Node >= 19).
        if request.path.startswith("/fhir/") or (user is not None and user.is_authenticated):
            # Clinical pages must not be kept by shared browsers or proxies.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
