"""URLs: the API tokens page. The API itself is mounted by ivig.config.urls through `api_urls`."""

from __future__ import annotations

from typing import Any

from django.urls import path

from ivig.accounts.access import public
from ivig.fhir import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]


def api_urls() -> tuple[list[Any], str, str]:
    """The ninja API's URLs, each marked public for the access middleware: the API authenticates every call
    itself with a bearer token (and /metadata and /openapi.json are open, as FHIR allows)."""
    from ivig.fhir.api import api

    patterns, app, namespace = api.urls
    for pattern in patterns:
        if pattern.callback is not None:
            public(pattern.callback)
    return patterns, app, namespace
