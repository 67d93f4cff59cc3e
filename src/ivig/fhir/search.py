"""FHIR search values shared by the resource mappers: dates with prefixes, references, tokens, lot numbers.

Each maker returns a ``Param``: a ``registry.SearchFilter`` (``(queryset, value) -> queryset``) that also
carries its FHIR search parameter type, so the CapabilityStatement states the type the filter actually reads
(a date filter is declared ``date``, never by a list of names). A value it cannot use raises
``registry.SearchError`` with a message for the API client.

Dates (FHIR R4 search, section 3.1.1.4.2): ``[prefix]value`` with prefix eq (default), ne, gt, lt, ge, le and
value ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm[:ss[.f]][Z|+hh:mm]``. A value stands for
the interval it names (``2026-03`` is the whole month); a value without a time zone is the centre's local
time. ``eq`` is "within the interval", ``ge`` "from its start", ``le`` "up to its end", ``gt`` "after its
end", ``lt`` "before its start".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
# FHIR R4 id syntax (datatypes.html#id): what `_id` may be given, whether or not it is one of ours.
FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
MAX_LOT_LENGTH = 20  # GS1 AI (10) holds at most 20 characters (inventory.Lot.lot_number)
# FHIR R4 search parameter types (codesystem-search-param-type).
PARAM_TYPES = ("number", "date", "string", "token", "reference", "composite", "quantity", "uri", "special")


@dataclass(frozen=True)
class Param:
    """A search filter with its FHIR search parameter type.

    ``targets``: for a reference, the resource types a value may name (the first is the one we serve; the
    others are types R4 allows that this server does not serve, so they match nothing). ``example``: a value
    that a request may use (tokens), shown in the parameter's documentation.
    """

    type: str
    apply: SearchFilter
    targets: tuple[str, ...] = field(default=())
    example: str = ""

    def __post_init__(self) -> None:
        assert self.type in PARAM_TYPES, self.type

    def __call__(self, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        return self.apply(queryset, value)


def param_type(search_filter: SearchFilter) -> str:
    """The FHIR type of a filter's values; "special" for a plain function that does not say."""
    return search_filter.type if isinstance(search_filter, Param) else "special"


def token(apply: SearchFilter, example: str) -> Param:
    """A mapper's own token filter (a code, ``system|code`` or ``|code``)."""
    return Param("token", apply, example=example)


def date_param(apply: SearchFilter) -> Param:
    """A mapper's own date filter (FHIR date values with prefixes)."""
    return Param("date", apply)


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


def by_date(path: str, *, is_date: bool = False) -> Param:
    """Search a DateTimeField (or, with is_date, a DateField) by a FHIR date value."""

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        return queryset.filter(date_q(path, parse_date(value), is_date=is_date))

    return Param("date", apply)


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


_COMMA = re.compile(r"(?<!\\),")


def values(value: str) -> list[str]:
    """A comma means "or" in FHIR search; ``\\,`` is a comma inside a value (search.html#escaping)."""
    parts = [part.strip().replace("\\,", ",") for part in _COMMA.split(value)]
    if not all(parts):
        raise SearchError(f"{value!r} has an empty value between commas")
    return parts


def _reference_type(value: str) -> str | None:
    """The resource type a reference value names (``Type/id`` or a URL ending so), None for a bare id."""
    parts = value.strip().rsplit("/", 2)
    return parts[-2] if len(parts) >= 2 else None


def by_reference(
    path: str, resource_type: str = "Patient", *, id_prefix: str = "", unserved: tuple[str, ...] = ()
) -> Param:
    """Search by a reference to one of our resources: ``<id>``, ``<Type>/<id>`` or a URL ending so.

    ``path`` is the ORM path to the referenced row's pk ("" for the row itself). ``unserved``: other types R4
    lets this reference point to that we do not serve (a Practitioner, say); a value naming one matches
    nothing instead of being refused.
    """
    lookup = f"{path}__pk__in" if path else "pk__in"

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        wanted = [
            parse_id(part, resource_type, id_prefix=id_prefix)
            for part in values(value)
            if _reference_type(part) not in unserved
        ]
        return queryset.filter(**{lookup: wanted})

    return Param("reference", apply, targets=(resource_type, *unserved))


def by_id(resource_type: str, *, id_prefix: str = "") -> Param:
    """`_id` on one source: its own ids match, a FHIR id of another source (or none) matches nothing here.

    Observation, for one, has several sources ("lab-5", "wt-3"): `_id=lab-5` must find the lab result and
    find nothing among the weights, not be refused by them. Only a value that is no FHIR id at all is an
    error. A comma means "or".
    """
    own = re.compile(rf"^{re.escape(id_prefix)}-([0-9]{{1,18}})$" if id_prefix else r"^([0-9]{1,18})$")

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        wanted = []
        for part in values(value):
            text = part
            if "/" in text:  # Observation/lab-5, as some clients send
                named, _, text = text.rpartition("/")
                if named.rsplit("/", 1)[-1] != resource_type:
                    raise SearchError(f"_id {part!r} is not a {resource_type} id")
            if not FHIR_ID.match(text):
                raise SearchError(f"_id {part!r} is not a FHIR id (letters, digits, '-' and '.', at most 64)")
            found = own.match(text)
            if found:
                wanted.append(int(found.group(1)))
        return queryset.filter(pk__in=wanted)

    return Param("token", apply, example="1")


def parse_token(value: str) -> tuple[str | None, str]:
    """Read ``system|code``, ``|code`` (no system) or ``code`` (any system)."""
    if "|" not in value:
        return None, value.strip()
    system, _, code = value.partition("|")
    return system.strip(), code.strip()


def by_token(codes: Callable[[], Mapping[tuple[str, str], Q]], *, example: str) -> Param:
    """Search a coded element: ``codes()`` maps each (system, code) a row can carry to the rows carrying it.

    A function, so code systems whose URL comes from the settings are read when the search runs. ``|code``
    (no system) matches nothing: every code we serve has a system.
    """

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        wanted = Q(pk__in=[])
        for part in values(value):
            system, code = parse_token(part)
            if not code:
                raise SearchError(f"{value!r}: give a code, like http://loinc.org|2465-3 or 2465-3")
            for (known_system, known_code), condition in codes().items():
                if known_code == code and system in (None, known_system):
                    wanted |= condition
        return queryset.filter(wanted)

    return Param("token", apply, example=example)


def constant(
    matches: Callable[[str], bool], what: str, known: tuple[str, ...], *, system: str | None = None
) -> Param:
    """A parameter whose value is the same for every row of a source (an Observation category, say).

    With a ``system``, ``system|code`` must name it and ``|code`` (no system) matches nothing."""

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        tokens = [parse_token(part) for part in values(value)]
        unknown = [code for _system, code in tokens if code not in known]
        if unknown:
            raise SearchError(f"{what} {unknown[0]!r} is not known: use one of {', '.join(known)}")
        hits = [matches(code) for given, code in tokens if system is None or given is None or given == system]
        return queryset if any(hits) else queryset.none()

    return Param("token", apply, example=known[0])


def boolean(path: str) -> Param:
    """A true/false parameter (a token in FHIR)."""

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        wanted = {parse_token(part)[1].lower() for part in values(value)}
        if not wanted <= {"true", "false"}:
            raise SearchError(f"{value!r}: use true or false")
        return queryset.filter(**{f"{path}__in": [text == "true" for text in wanted]})

    return Param("token", apply, example="true")


LOT_EXAMPLE = "A1234"


def parse_lot(value: str) -> str:
    """A manufacturer's lot number as printed on the vial (a token's code: ``|A1234`` or ``A1234``)."""
    text = value.strip().removeprefix("|").strip()
    if not text or len(text) > MAX_LOT_LENGTH:
        raise SearchError(
            f"lot {value!r} is not a lot number: give one of at most {MAX_LOT_LENGTH} characters"
        )
    return text


def by_lot(path: str) -> Param:
    """A lot number parameter (a token): the lot number exactly, case as printed; ``path`` is the ORM path
    to it. A comma means "or"."""

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        return queryset.filter(**{f"{path}__in": lot_numbers(value)})

    return Param("token", apply, example=LOT_EXAMPLE)


def lot_numbers(value: str) -> list[str]:
    """Lot numbers, a comma meaning "or"."""
    return [parse_lot(part) for part in values(value)] if value.strip() else [parse_lot(value)]
