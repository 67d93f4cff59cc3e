"""Deny by default: a view with no access declaration is refused, whoever asks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ivig.accounts.access import access_of

logger = logging.getLogger(__name__)

# The admin site checks staff status itself.
EXEMPT_PREFIXES = ("/admin/",)


class AccessControlMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.path.startswith(EXEMPT_PREFIXES) or request.path.startswith("/" + settings.STATIC_URL):
            return None
        access = access_of(view_func)
        if access is None:
            logger.error("view %s declares no access rule: denied", getattr(view_func, "__name__", view_func))
            raise PermissionDenied("This page has no access rule.")
        if access.allows(request.user):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("Your role does not give access to this page.")
