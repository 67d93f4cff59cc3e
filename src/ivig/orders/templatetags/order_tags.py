"""Template filters for order pages: durations for people reading a pump."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def minutes(value: float | str | None) -> str:
    """Show minutes as "0:00", "1:35" (hours:minutes from the start), rounded to the minute."""
    if value is None or value == "":
        return ""
    total = round(float(value))
    return f"{total // 60}:{total % 60:02d}"


@register.filter
def hours(value: float | str | None) -> str:
    """Show minutes as "3 h 25 min"."""
    if value is None or value == "":
        return ""
    total = round(float(value))
    whole, rest = divmod(total, 60)
    return f"{whole} h {rest:02d} min" if whole else f"{rest} min"


@register.filter
def slot(slots: dict[str, Any], name: str) -> Any:
    """The stops and cautions for one order field ("" = the order as a whole)."""
    return slots.get(name, {}) if slots else {}


@register.filter
def isotime(value: str | None) -> str:
    """Show a stored ISO timestamp as "YYYY-MM-DD HH:MM" in local time."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return f"{timezone.localtime(moment) if timezone.is_aware(moment) else moment:%Y-%m-%d %H:%M}"
