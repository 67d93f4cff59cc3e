"""Security headers Django 5.2 does not set itself: a strict Content-Security-Policy, Permissions-Policy."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ivig.lib.headers import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            # The admin ships inline scripts of its own; it is for staff and keeps Django's defaults.
            response.headers.setdefault(
                "Content-Security-Policy",
                CONTENT_SECURITY_POLICY.replace(
                    "script-src 'self'", "script-src 'self' 'unsafe-inline'"
                ).replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
            )
        else:
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        # FHIR answers carry patient data for a bearer token, not a session. Also, HTTP caches that store a
        # kept-alive answer hang some clients (the SMART Bulk Data client's got 11 cache on Node >= 19).
        if request.path.startswith("/fhir/") or (user is not None and user.is_authenticated):
            # Clinical pages must not be kept by shared browsers or proxies.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
