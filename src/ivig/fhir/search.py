"""FHIR search values shared by the resource mappers: dates with prefixes, references, tokens, lot numbers.

Each maker returns a ``registry.SearchFilter``: ``(queryset, value) -> queryset``; a value it cannot use
raises ``registry.SearchError`` with a message for the API client.

Dates (FHIR R4 search, section 3.1.1.4.2): ``[prefix]value`` with prefix eq (default), ne, gt, lt, ge, le and
value ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm[:ss[.f]][Z|+hh:mm]``. A value stands for
the interval it names (``2026-03`` is the whole month); a value without a time zone is the centre's local
time. ``eq`` is "within the interval", ``ge`` "from its start", ``le`` "up to its end", ``gt`` "after its
end", ``lt`` "before its start".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ivig.fhir.registry import SearchError, SearchFilter

PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le")
_DATE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
_ID = re.compile(r"^[0-9]{1,18}$")
MAX_LOT_LENGTH = 20  # GS1 AI (10) holds at most 20 characters (inventory.Lot.lot_number)


@dataclass(frozen=True, slots=True)
class DateRange:
    """A search date: its prefix and the half-open interval [start, end) its value names."""

    prefix: str
    start: datetime
    end: datetime


def _aware(moment: datetime, tz: str | None) -> datetime:
    if tz is None:
        return timezone.make_aware(moment)
    if tz == "Z":
        return moment.replace(tzinfo=UTC)
    return datetime.fromisoformat(f"{moment.isoformat()}{tz}")


def parse_date(value: str) -> DateRange:
    """Read a FHIR date search value; raise SearchError with an example on anything else."""
    text = value.strip()
    prefix = text[:2] if text[:2] in PREFIXES else "eq"
    body = text[2:] if text[:2] in PREFIXES else text
    match = _DATE.match(body)
    example = "use a date like 2026-03-01, ge2026-03-01 or lt2026-03-01T12:00:00Z"
    if not match:
        raise SearchError(f"date {value!r} is not a FHIR date: {example}")
    parts = match.groupdict()
    try:
        year = int(parts["year"])
        if parts["month"] is None:
            start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
        elif parts["day"] is None:
            month = int(parts["month"])
            start = datetime(year, month, 1)
            end = datetime(year + month // 12, month % 12 + 1, 1)
        elif parts["hour"] is None:
            start = datetime(year, int(parts["month"]), int(parts["day"]))
            end = start + timedelta(days=1)
        else:
            start = datetime(
                year,
                int(parts["month"]),
                int(parts["day"]),
                int(parts["hour"]),
                int(parts["minute"]),
                int(parts["second"] or 0),
                int((parts["fraction"] or "0")[:6].ljust(6, "0")),
            )
            fraction = parts["fraction"] or ""
            precision = (
                timedelta(microseconds=10 ** max(6 - len(fraction), 0))
                if fraction
                else timedelta(seconds=1)
                if parts["second"]
                else timedelta(minutes=1)
            )
            end = start + precision
        return DateRange(prefix, _aware(start, parts["tz"]), _aware(end, parts["tz"]))
    except (ValueError, OverflowError):  # OverflowError: an interval past year 9999 or before year 1
        raise SearchError(f"date {value!r} is not a real date or time: {example}") from None


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _date_bounds(found: DateRange) -> tuple[date, date]:
    """The days [first, after_last) an interval touches, for date (not dateTime) columns."""
    first = _local_date(found.start)
    last_moment = found.end - timedelta(microseconds=1)
    return first, _local_date(last_moment) + timedelta(days=1)


def date_q(field: str, found: DateRange, *, is_date: bool = False) -> Q:
    """The condition a column must meet for one date search value."""
    start: date | datetime
    end: date | datetime
    start, end = _date_bounds(found) if is_date else (found.start, found.end)
    within = Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return {
        "eq": within,
        "ne": ~within,
        "ge": Q(**{f"{field}__gte": start}),
        "le": Q(**{f"{field}__lt": end}),
        "gt": Q(**{f"{field}__gte": end}),
        "lt": Q(**{f"{field}__lt": start}),
    }[found.prefix]


def by_date(field: str, *, is_date: bool = False) -> SearchFilter:
    """Search a DateTimeField (or, with is_date, a DateField) by a FHIR date value."""

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        return queryset.filter(date_q(field, parse_date(value), is_date=is_date))

    return apply


def parse_id(value: str, resource_type: str, *, id_prefix: str = "") -> int:
    """Read ``<id>``, ``<Type>/<id>`` or a full URL ending in ``<Type>/<id>`` as a primary key.

    Our ids are numbers, or ``<id_prefix>-<number>`` for a source with a prefix (registry.fhir_id).
    """
    text = value.strip()
    example = f"{id_prefix}-123" if id_prefix else "123"
    usage = f"use {resource_type}/{example} or {example}"
    parts = text.rsplit("/", 2)
    if len(parts) >= 2:
        if parts[-2] != resource_type:
            raise SearchError(f"{value!r} is not a {resource_type} reference: {usage}")
        text = parts[-1]
    if id_prefix:
        if not text.startswith(f"{id_prefix}-"):
            raise SearchError(
                f"{value!r} is not a {resource_type} id of the form {id_prefix}-<number>: {usage}"
            )
        text = text[len(id_prefix) + 1 :]
    if not _ID.match(text):
        raise SearchError(f"{value!r} is not a {resource_type} id: {usage}")
    return int(text)


def _values(value: str) -> list[str]:
    """A comma means "or" in FHIR search."""
    parts = [part.strip() for part in value.split(",")]
    if not all(parts):
        raise SearchError(f"{value!r} has an empty value between commas")
    return parts


def by_reference(path: str, resource_type: str = "Patient", *, id_prefix: str = "") -> SearchFilter:
    """Search by a reference to one of our resources; ``path`` is the ORM path to its pk ("" for the row)."""
    lookup = f"{path}__pk__in" if path else "pk__in"

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        wanted = [parse_id(part, resource_type, id_prefix=id_prefix) for part in _values(value)]
        return queryset.filter(**{lookup: wanted})

    return apply


def parse_token(value: str) -> tuple[str | None, str]:
    """Read ``system|code``, ``|code`` (no system) or ``code`` (any system)."""
    if "|" not in value:
        return None, value.strip()
    system, _, code = value.partition("|")
    return system.strip(), code.strip()


def by_token(codes: Callable[[], Mapping[tuple[str, str], Q]]) -> SearchFilter:
    """Search a coded element: ``codes()`` maps each (system, code) a row can carry to the rows carrying it.

    A function, so code systems whose URL comes from the settings are read when the search runs.
    """

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        wanted = Q(pk__in=[])
        for part in _values(value):
            system, code = parse_token(part)
            if not code:
                raise SearchError(f"{value!r}: give a code, like http://loinc.org|2465-3 or 2465-3")
            for (known_system, known_code), condition in codes().items():
                if known_code == code and system in (None, known_system):
                    wanted |= condition
        return queryset.filter(wanted)

    return apply


def constant(matches: Callable[[str], bool], what: str, known: tuple[str, ...]) -> SearchFilter:
    """A parameter whose value is the same for every row of a source (an Observation category, say)."""

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        parts = [parse_token(part)[1] for part in _values(value)]
        unknown = [part for part in parts if part not in known]
        if unknown:
            raise SearchError(f"{what} {unknown[0]!r} is not known: use one of {', '.join(known)}")
        return queryset if any(matches(part) for part in parts) else queryset.none()

    return apply


def boolean(field: str) -> SearchFilter:
    """A true/false parameter."""

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        text = value.strip().lower()
        if text not in ("true", "false"):
            raise SearchError(f"{value!r}: use true or false")
        return queryset.filter(**{field: text == "true"})

    return apply


def parse_lot(value: str) -> str:
    """A manufacturer's lot number as printed on the vial."""
    text = value.strip()
    if not text or len(text) > MAX_LOT_LENGTH:
        raise SearchError(
            f"lot {value!r} is not a lot number: give one of at most {MAX_LOT_LENGTH} characters"
        )
    return text


def by_lot(path: str) -> SearchFilter:
    """A `lot` parameter: the lot number exactly, case as printed; ``path`` is the ORM path to it."""

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        return queryset.filter(**{path: parse_lot(value)})

    return apply
