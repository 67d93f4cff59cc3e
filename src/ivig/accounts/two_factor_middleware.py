"""Two-factor enforcement, beside the deny-by-default AccessControlMiddleware (and before it).

A user signed in with a password but not verified by django-otp (OTPMiddleware) who must give a second factor
(their role requires it, or they turned it on) reaches no page but the two-factor pages and sign-out: with a
device they are asked for a code, without one they are sent to enrol. The Django admin is covered too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from ivig.accounts import access_cache, two_factor

# Not pages a person signs in to: health and metrics probes, the FHIR API and the OAuth token endpoints
# (their own token authentication), the language switch, static files. Sign-out must always work.
EXEMPT_PREFIXES = (
    "/accounts/two-factor/verify/",
    "/accounts/two-factor/enrol/",
    "/accounts/logout/",
    "/admin/logout/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/fhir/",
    "/oauth/token",
    "/oauth/revoke",
    "/i18n/",
)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        path = request.path
        if path.startswith(EXEMPT_PREFIXES) or path.startswith("/" + settings.STATIC_URL):
            return None
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if access_cache.has_app_device(user):
            target = "two_factor:verify"
        elif two_factor.required_for(user):
            target = "two_factor:enrol"
        else:
            return None
        url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url  # htmx: a whole-page visit, not a swap of part of the page
            return response
        return HttpResponseRedirect(url)
