"""Cross-origin reads of the FHIR API for SMART browser apps served from their own origin.

A browser app on https://app.example.org calls /fhir/ with an Authorization header, so the browser first
asks (a CORS preflight) whether that origin may. It may when an Admin listed it in the app's registration
("allowed origins", django-oauth-toolkit's Application field, which the token endpoint honours too). No
cookies cross origins: the bearer token is the credential, so the API never allows credentials.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from oauth2_provider.models import get_application_model

FHIR_PREFIX = "/fhir/"
ALLOW_METHODS = "GET, POST, DELETE, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type, Accept, Prefer"
EXPOSE_HEADERS = "Content-Location, Location, Retry-After, X-Progress, WWW-Authenticate"
MAX_AGE = "600"


def origin_allowed(origin: str) -> bool:
    """Whether a registered app lists `origin` among its allowed origins."""
    if not origin or origin == "null":
        return False
    candidates = get_application_model().objects.filter(allowed_origins__contains=origin)
    return any(origin in application.allowed_origins.split() for application in candidates)


class FhirCorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = request.headers.get("Origin", "")
        if not origin or not request.path.startswith(FHIR_PREFIX) or not origin_allowed(origin):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOW_METHODS
            response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
            response["Access-Control-Max-Age"] = MAX_AGE
        else:
            response = self.get_response(request)
            response["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
        response["Access-Control-Allow-Origin"] = origin
        patch_vary_headers(response, ["Origin"])
        return response
