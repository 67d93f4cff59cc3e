"""Security headers Django 5.2 does not set itself: the Content-Security-Policy (django-csp, with the admin's
relaxation), Permissions-Policy, Cross-Origin-Resource-Policy and no-store for clinical answers; and the
refusal of NUL characters in any request (RefuseNulMiddleware)."""

from __future__ import annotations

import json
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict

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


NUL_REFUSED = (
    "The request holds a NUL character (\\x00), which no field can store: remove it and send it again."
)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class RefuseNulMiddleware:
    """A NUL character in the path, the query string or a posted form is refused with a 400 before any view
    runs: PostgreSQL refuses it in text, so a search or a save would otherwise fail with a 500. People cannot
    type one; it comes from scripts and probes. Under /fhir/ the refusal is an OperationOutcome."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _holds_nul(request.GET) or self._form_holds_nul(request):
            return self._refusal(request)
        return self.get_response(request)

    @staticmethod
    def _form_holds_nul(request: HttpRequest) -> bool:
        if request.method != "POST" or not (request.content_type or "").startswith(FORM_TYPES):
            return False
        return _holds_nul(request.POST)

    @staticmethod
    def _refusal(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/fhir/"):
            outcome = {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": "invalid", "diagnostics": NUL_REFUSED}],
            }
            return HttpResponse(json.dumps(outcome), status=400, content_type="application/fhir+json")
        return HttpResponse(NUL_REFUSED, status=400, content_type="text/plain; charset=utf-8")
