"""CSV cells that a spreadsheet shows as text and never runs as a formula."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def cell(value: Any) -> str:
    """Text for a CSV cell; a leading = + - @ (or tab, return) is quoted with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def value_cell(value: Any) -> Any:
    """A CSV cell that keeps numbers as numbers (for sums in a spreadsheet); text as ``cell``."""
    if isinstance(value, int | float | Decimal):
        return value
    return cell(value)
