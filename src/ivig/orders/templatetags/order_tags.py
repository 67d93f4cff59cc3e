"""Template filters for order pages: durations for people reading a pump."""

from __future__ import annotations

from django import template

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
