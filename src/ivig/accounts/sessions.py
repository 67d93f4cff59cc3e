"""The idle timeout without a database write on every request.

A session ends IVIG_IDLE_TIMEOUT_MINUTES after the last request: Django moves a session's expiry on only
when it saves it, and saving on every request (SESSION_SAVE_EVERY_REQUEST) costs a write, and a commit
waiting on the disk, for each page a nurse opens. This middleware marks the session for saving when its
expiry was last moved more than REFRESH_SECONDS ago, so the timeout runs from the last request to within
that many seconds, and a busy session is written once a minute at most.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from ivig import clock

REFRESH_SECONDS = 60
SEEN_KEY = "_ivig_seen"


def refresh_interval() -> int:
    """Seconds between expiry moves: a minute, or a tenth of a very short timeout."""
    return max(min(REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 10), 1)


class IdleSessionMiddleware:
    """Placed after SessionMiddleware, so SessionMiddleware saves what this marks on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty() or session.session_key is None:
            return response
        if not session.get("_auth_user_id"):
            return response  # an anonymous visitor's session (a sign-in form's CSRF) never needs moving on
        now = int(clock.now().timestamp())
        if abs(now - int(session.get(SEEN_KEY, 0))) >= refresh_interval():
            session[SEEN_KEY] = now  # modified: SessionMiddleware saves it with a fresh expiry
        return response
