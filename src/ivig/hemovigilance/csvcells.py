"""CSV cells that a spreadsheet shows as text and never runs as a formula."""

from __future__ import annotations

from typing import Any


def cell(value: Any) -> str:
    """Text for a CSV cell; a leading = + - @ (or tab, return) is quoted with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
