"""The server's "now": the one clock of the app, which tests and the demo can set.

Every reading of the time in src/ivig comes from here (`now`, `localdate`, `localtime`, and `now` as a model
field's default), never from `django.utils.timezone.now` or `datetime.now`/`date.today` (ruff's TID251
refuses them outside this module). So a test can run a five-hour infusion in seconds, or move past a sign-in
lock: `set_now` fixes the time (pytest-django's live server runs in the test process, so the browser sees it
too), `advance` moves it on, `reset` returns to the real clock. Only Django's own `auto_now` fields keep the
real time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

_fixed: datetime | None = None


def now() -> datetime:
    return _fixed if _fixed is not None else timezone.now()


def localdate() -> date:
    """Today in the centre's time zone (settings.TIME_ZONE)."""
    return timezone.localdate(now())


def localtime() -> datetime:
    """Now in the centre's time zone."""
    return timezone.localtime(now())


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
