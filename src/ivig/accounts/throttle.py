"""Failed-login throttling: too many failures for a username or from an address locks sign-in for a while."""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from ivig import clock
from ivig.accounts.models import LoginFailure

# An address gets a larger allowance than a username: one ward PC is shared by many staff.
ADDRESS_ALLOWANCE_FACTOR = 4


def client_address(request: Any) -> str | None:
    """The address a request came from: REMOTE_ADDR, or the trusted proxy's header when the site names one.

    With IVIG_TRUSTED_PROXY_HEADER (X-Forwarded-For) and IVIG_TRUSTED_PROXY_COUNT proxies appending to it, the
    client is that many entries from the right: entries further left are whatever the client sent. A missing
    or malformed header falls back to REMOTE_ADDR (the proxy itself).
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    header = settings.IVIG_TRUSTED_PROXY_HEADER
    if not header:
        return remote
    raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    entries = [entry.strip() for entry in str(raw).split(",") if entry.strip()]
    count = settings.IVIG_TRUSTED_PROXY_COUNT
    if len(entries) < count:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-count]))
    except ValueError:
        return remote


def _window() -> timedelta:
    return timedelta(minutes=settings.IVIG_LOGIN_WINDOW_MINUTES)


def _lock_ends(failures: QuerySet[LoginFailure], limit: int) -> datetime | None:
    # Locked while `limit` failures lie inside the window: until the limit-th newest one leaves it.
    times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    return times[-1] + _window() if len(times) >= limit else None


def minutes_locked(username: str, ip_address: str | None) -> int:
    """Return how many minutes sign-in stays locked for this username or address (0: not locked)."""
    since = clock.now() - _window()
    limit = settings.IVIG_LOGIN_MAX_FAILURES
    ends = [_lock_ends(LoginFailure.objects.filter(username__iexact=username, at__gte=since), limit)]
    if ip_address:
        recent_from_address = LoginFailure.objects.filter(ip_address=ip_address, at__gte=since)
        ends.append(_lock_ends(recent_from_address, limit * ADDRESS_ALLOWANCE_FACTOR))
    latest = max((end for end in ends if end is not None), default=None)
    if latest is None or latest <= clock.now():
        return 0
    return max(1, math.ceil((latest - clock.now()).total_seconds() / 60))


def record_failure(username: str, ip_address: str | None) -> LoginFailure:
    return LoginFailure.objects.create(username=username[:150], ip_address=ip_address)


def clear_failures(username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()
