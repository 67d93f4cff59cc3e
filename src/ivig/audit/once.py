"""One-time form tokens: back and resubmit, a double click or a stale copy of a form never records twice.

Every state-changing form renders `{% form_token %}` (a random string; nothing is stored). A view
wrapped in `one_time_form` writes the token's row in the same transaction as whatever the view records.
A second submit of the same token finds the row and is sent, with a message, to what the first submit
made. If the first submit did not end in a redirect (a refused or invalid form), its row is dropped, so
the corrected form can be sent again. Two concurrent submits of one token queue on the unique key: the
loser sees the winner's row.

A POST without a token (scripts, tests, an older page) is let through unchanged: the forms people use
carry one. Records two different pages can make twice (two tabs) are caught by each action's own
duplicate checks.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from ivig.audit.models import FormToken

FIELD = "form_token"
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
REDIRECTS = (301, 302, 303, 307, 308)
ALREADY = "This form was already sent, so nothing was recorded twice. Here is what it recorded."
UNDER_WAY = (
    "This form is already being sent: nothing was recorded twice. Check the page before sending again."
)

View = Callable[..., HttpResponse]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def one_time_form(view: View) -> View:
    """Consume the posted form token together with the view's write (see the module docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not key:
            return view(request, *args, **kwargs)
        if not TOKEN.fullmatch(key):
            return HttpResponseBadRequest("This form is damaged: reload the page and enter it again.")
        with transaction.atomic():
            try:
                with transaction.atomic():
                    token = FormToken.objects.create(
                        key=key, user_id=getattr(request.user, "pk", None), path=request.path[:300]
                    )
            except IntegrityError:
                return _already_sent(request, key)
            response = view(request, *args, **kwargs)
            if response.status_code in REDIRECTS and response.has_header("Location"):
                token.result_url = response["Location"][:500]
                token.save(update_fields=["result_url"])
            else:
                token.delete()
            return response

    return wrapper


def _already_sent(request: HttpRequest, key: str) -> HttpResponse:
    token = FormToken.objects.filter(key=key).first()
    if token is not None and token.result_url:
        messages.info(request, ALREADY)
        return redirect(token.result_url)
    messages.warning(request, UNDER_WAY)
    back = request.headers.get("referer", "")
    safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
    return redirect(back if back and safe else "/")
