"""URLs: the API tokens page. The API itself is mounted by ivig.config.urls through `api_urls`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from ivig.accounts.access import public
from ivig.fhir import addresses, negotiation, views

logger = logging.getLogger(__name__)

app_name = "api_tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]


def _fhir_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A ninja view that answers 406 to a client taking only XML (ivig.fhir.negotiation), builds its
    absolute and canonical URLs for the address the request came to (ivig.fhir.addresses), and whose 405 (a
    method the path does not offer) is an OperationOutcome, not plain text; a database that does not answer
    is a 503 OperationOutcome, not the HTML error page."""
    from ivig.fhir.api import DATABASE_DOWN, api_base, method_not_allowed, not_acceptable, unavailable

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refusal = negotiation.refusal(request)
        if refusal is not None:
            return not_acceptable(request, refusal)
        try:
            with addresses.serving(api_base(request)):
                response = view(request, *args, **kwargs)
        except DATABASE_DOWN:
            logger.exception("FHIR API: the database did not answer %s %s", request.method, request.path)
            return unavailable(request)
        if response.status_code == 405:
            return method_not_allowed(request, response.get("Allow", ""))
        return response

    return wrapped


def api_urls() -> tuple[list[Any], str, str]:
    """The ninja API's URLs, each marked public for the access middleware: the API authenticates every call
    itself with a bearer token (and /metadata and /openapi.json are open, as FHIR allows). Any other path
    under /fhir/ answers a 404 OperationOutcome."""
    from ivig.fhir.api import api, not_found

    patterns, app, namespace = api.urls
    for pattern in patterns:
        if pattern.callback is not None:
            pattern.callback = public(_fhir_view(pattern.callback))
    patterns = [*patterns, re_path(r"^(?P<rest>.*)$", public(csrf_exempt(not_found)), name="not-found")]
    return patterns, app, namespace
