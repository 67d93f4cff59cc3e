"""Search filters for the mappers: FHIR dates with prefixes, references, lot numbers."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ivig.fhir.registry import SearchError, SearchFilter

_PREFIXES = ("eq", "ne", "lt", "gt", "le", "ge")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MAX_VALUE_LENGTH = 100
MAX_LOT_LENGTH = 20  # GS1 AI (10) holds at most 20 characters (inventory.Lot.lot_number)


def _clean(value: str) -> str:
    value = value.strip()
    if not value:
        raise SearchError("The search value is empty.")
    if len(value) > _MAX_VALUE_LENGTH:
        raise SearchError(f"The search value is longer than {_MAX_VALUE_LENGTH} characters.")
    return value


def date_range(value: str) -> tuple[str, datetime, datetime]:
    """Parse a FHIR date search value ("ge2026-03", "2026-03-01T10:00:00Z") into (prefix, start, end):
    the value covers [start, end) at its own precision. Dates without a time are read in the site's zone."""
    value = _clean(value)
    prefix = "eq"
    if value[:2] in _PREFIXES:
        prefix, value = value[:2], value[2:]
    if prefix == "ne":
        raise SearchError("The 'ne' date prefix is not supported; use lt and gt.")
    matched = _DATE.match(value)
    zone = timezone.get_current_timezone()
    try:
        if matched:
            year, month, day = (int(part) if part else None for part in matched.groups())
            assert year is not None
            first = date(year, month or 1, day or 1)
            if day is not None:
                last = first + timedelta(days=1)
            elif month is not None:
                last = date(year + (month == 12), month % 12 + 1, 1)
            else:
                last = date(year + 1, 1, 1)
            start = datetime.combine(first, time(), tzinfo=zone)
            end = datetime.combine(last, time(), tzinfo=zone)
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
            start = moment
            end = moment + timedelta(seconds=1)
    except (ValueError, OverflowError, AssertionError):
        if matched:
            raise SearchError(f"date {value!r} is not a real date.") from None
        raise SearchError(
            f"{value!r} is not a FHIR date: use YYYY, YYYY-MM, YYYY-MM-DD or a date and time, "
            "optionally after eq, lt, le, gt or ge."
        ) from None
    return prefix, start, end


def filter_dates(queryset: QuerySet[Any], path: str, value: str, *, dates_only: bool) -> QuerySet[Any]:
    prefix, start, end = date_range(value)
    low: date | datetime = start
    high: date | datetime = end
    if dates_only:
        # A DateField compares with the calendar days that the range touches.
        low = start.date()
        high = end.date() if end.time() == time() else end.date() + timedelta(days=1)
    if prefix == "eq":
        return queryset.filter(**{f"{path}__gte": low, f"{path}__lt": high})
    if prefix == "lt":
        return queryset.filter(**{f"{path}__lt": low})
    if prefix == "le":
        return queryset.filter(**{f"{path}__lt": high})
    if prefix == "gt":
        return queryset.filter(**{f"{path}__gte": high})
    return queryset.filter(**{f"{path}__gte": low})  # ge


def date_filter(path: str, *, dates_only: bool = False) -> SearchFilter:
    """A `date` search parameter on a DateTimeField (or a DateField with dates_only=True)."""

    def narrow(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        return filter_dates(queryset, path, value, dates_only=dates_only)

    return narrow


def reference_pk(value: str, resource_type: str, *, id_prefix: str = "") -> int:
    """Read "123" or "Patient/123" (or a full URL ending so) as a primary key."""
    value = _clean(value)
    tail = value.rstrip("/").rsplit("/", 2)
    if len(tail) >= 2:
        if tail[-2] != resource_type:
            raise SearchError(f"{value!r} is not a {resource_type} reference.")
        value = tail[-1]
    if id_prefix:
        if not value.startswith(f"{id_prefix}-"):
            raise SearchError(f"{value!r} is not a {resource_type} id of the form {id_prefix}-<number>.")
        value = value[len(id_prefix) + 1 :]
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise SearchError(f"{value!r} is not a {resource_type} id.")
    return int(value)


def reference_filter(path: str, resource_type: str, *, id_prefix: str = "") -> SearchFilter:
    """A reference search parameter (`patient`, `subject`, `medication`) on the ORM path to a pk."""

    def narrow(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        return queryset.filter(**{path: reference_pk(value, resource_type, id_prefix=id_prefix)})

    return narrow


def lot_filter(path: str) -> SearchFilter:
    """A `lot` search parameter: the manufacturer's lot number (exact, case as printed)."""

    def narrow(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            raise SearchError("lot: give a lot number.")
        if len(value) > MAX_LOT_LENGTH:
            raise SearchError(f"lot: a lot number has at most {MAX_LOT_LENGTH} characters.")
        return queryset.filter(**{path: value})

    return narrow
