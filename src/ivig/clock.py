"""The server's "now", which tests can set.

Code that decides by the time of day (the infusion flowsheet: when a step or a vital-sign check is due) asks
this module instead of `django.utils.timezone`, so a test can run a five-hour infusion in seconds: `set_now`
fixes the time (pytest-django's live server runs in the test process, so the browser sees it too), `advance`
moves it on, `reset` returns to the real clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

_fixed: datetime | None = None


def now() -> datetime:
    return _fixed if _fixed is not None else timezone.now()


def localdate() -> date:
    return timezone.localdate(now())


def set_now(moment: datetime) -> None:
    global _fixed
    if timezone.is_naive(moment):
        raise ValueError("the clock needs a timezone-aware time")
    _fixed = moment


def advance(**delta: float) -> datetime:
    """Move a fixed clock on by a timedelta's keyword arguments (minutes=30)."""
    if _fixed is None:
        raise RuntimeError("advance() needs a fixed clock: call set_now() first")
    set_now(_fixed + timedelta(**delta))
    return now()


def reset() -> None:
    global _fixed
    _fixed = None
