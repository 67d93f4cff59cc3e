"""Read and search across a resource type's sources: parameters, role scope, paging, one page of rows.

A page costs a constant number of queries whatever its size: per source one COUNT and one SELECT (plus the
source's own prefetches). Each resource comes with the id of the patient it is about, for the access log.

Unknown parameters are refused (HTTP 400) unless the client sends ``Prefer: handling=lenient``: a misspelt
parameter silently ignored would return more than the client asked for (FHIR R4 search.html#errors).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import QueryDict

from ivig.fhir import registry
from ivig.fhir.registry import SearchError, SearchFilter, Source
from ivig.fhir.scope import Forbidden, may_read, readable
from ivig.fhir.search import by_date, by_id, by_reference

DEFAULT_COUNT = 50
MAX_COUNT = 500
MAX_OFFSET = 10_000_000
# Parameters of the result set rather than of a resource.
RESULT_PARAMETERS = ("_count", "_offset", "_page", "_format")
FORMATS = ("json", "application/json", "application/fhir+json")
# The annotation that carries each row's patient id into the page.
PATIENT_ANNOTATION = "fhir_access_patient"


class UnknownType(LookupError):
    """No source serves this resource type (HTTP 404)."""


def common_filters(source: Source) -> dict[str, SearchFilter]:
    """Parameters every source has: `_id`, `_lastUpdated`, and `patient` when its rows belong to a patient."""
    filters: dict[str, SearchFilter] = {
        "_id": by_id(source.resource_type, id_prefix=source.id_prefix),
        "_lastUpdated": by_date(source.updated_field),
    }
    if source.patient_path:
        filters["patient"] = by_reference(source.patient_path)
    filters.update(source.search)
    return filters


def search_parameters(resource_type: str) -> list[str]:
    names: set[str] = set()
    for source in registry.sources(resource_type):
        names.update(common_filters(source))
    return sorted(names)


def type_sources(resource_type: str) -> list[Source]:
    found = registry.sources(resource_type)
    if not found:
        raise UnknownType(f"This server has no {resource_type!r} resources.")
    return found


def readable_sources(resource_type: str, user: Any) -> list[Source]:
    """The type's sources the user may read; Forbidden when none."""
    found = [source for source in type_sources(resource_type) if may_read(source, user)]
    if not found:
        raise Forbidden(f"Your role does not allow reading {resource_type} resources.")
    return found


@dataclass(frozen=True)
class Found:
    """A resource and the id of the patient it is about (None when it is about no patient)."""

    resource: dict[str, Any]
    patient_id: int | None


def with_patient(source: Source, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The rows, each annotated with the id of its patient (one join, no query per row)."""
    key = source.patient_key()
    if key is None:
        return queryset
    annotated: QuerySet[Any] = queryset.annotate(**{PATIENT_ANNOTATION: F(key)})
    return annotated


def found(source: Source, obj: Any) -> Found:
    return Found(source.resource(obj), getattr(obj, PATIENT_ANNOTATION, None))


def find(resource_type: str, resource_id: str, user: Any) -> Found | None:
    """One resource by id, or None when it does not exist or the user may not see it."""
    for source in readable_sources(resource_type, user):
        prefix = f"{source.id_prefix}-" if source.id_prefix else ""
        if prefix and not resource_id.startswith(prefix):
            continue
        key = resource_id[len(prefix) :]
        if not (key.isascii() and key.isdigit() and len(key) <= 18):
            continue
        obj = with_patient(source, readable(source, user).filter(pk=int(key))).first()
        if obj is not None:
            return found(source, obj)
    return None


def read(resource_type: str, resource_id: str, user: Any) -> dict[str, Any] | None:
    """One resource by id, or None when it does not exist or the user may not see it."""
    result = find(resource_type, resource_id, user)
    return None if result is None else result.resource


@dataclass(frozen=True)
class Search:
    filters: tuple[tuple[str, str], ...]  # (parameter, value), in the request's order
    count: int
    offset: int
    # Parameters left out under Prefer: handling=lenient (the self link leaves them out too).
    ignored: tuple[str, ...] = ()


def lenient(prefer: str | None) -> bool:
    """Whether a Prefer header asks for lenient handling (``Prefer: handling=lenient``; RFC 7240)."""
    for preference in (prefer or "").replace(";", ",").split(","):
        name, _, value = preference.partition("=")
        if name.strip().lower() == "handling" and value.strip().strip('"').lower() == "lenient":
            return True
    return False


def parse(params: QueryDict, resource_type: str, *, lenient: bool = False) -> Search:
    """Check the request's parameters against the type's; raise SearchError on anything unusable.

    Strict (the default): an unknown parameter or modifier is a SearchError naming it. Lenient: it is left
    out and listed in ``Search.ignored``; a bad value of a known parameter is still an error.
    """
    known = set(search_parameters(resource_type))
    filters: list[tuple[str, str]] = []
    ignored: list[str] = []
    for name in params:
        if name in RESULT_PARAMETERS:
            continue
        base = name.split(":", 1)[0]
        if lenient and (name != base or name not in known):
            ignored.append(name)
            continue
        if name != base:
            raise SearchError(f"Search modifiers such as {name!r} are not supported.")
        if name not in known:
            listed = ", ".join(sorted(known | {"_count", "_offset", "_page"}))
            raise SearchError(f"{resource_type} has no search parameter {name!r}. Supported: {listed}.")
        # A comma (FHIR's "or") is left to the parameter's filter: those that do not take it refuse it.
        filters.extend((name, value) for value in params.getlist(name))
    fmt = params.get("_format")
    if fmt is not None and fmt not in FORMATS:
        raise SearchError("_format must be json, application/json or application/fhir+json.")
    count = _whole(params, "_count", DEFAULT_COUNT, low=0, high=MAX_COUNT)
    if "_offset" in params and "_page" in params:
        raise SearchError("Give _offset or _page, not both.")
    offset = _whole(params, "_offset", 0, low=0, high=MAX_OFFSET)
    if "_page" in params:
        page = _whole(params, "_page", 1, low=1, high=MAX_OFFSET)
        offset = (page - 1) * count
        if offset > MAX_OFFSET:
            raise SearchError("_page is too far: narrow the search instead.")
    return Search(filters=tuple(filters), count=count, offset=offset, ignored=tuple(ignored))


def _whole(params: QueryDict, name: str, default: int, *, low: int, high: int) -> int:
    values = params.getlist(name)
    if not values:
        return default
    if len(values) > 1:
        raise SearchError(f"Give {name} once.")
    text = values[0].strip()
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise SearchError(f"{name} must be a whole number from {low} to {high}.")
    return int(text)


def filtered(resource_type: str, search: Search, user: Any) -> Iterator[tuple[Source, QuerySet[Any]]]:
    """Each readable source's rows matching every filter; sources lacking a used parameter match nothing."""
    for source in readable_sources(resource_type, user):
        filters = common_filters(source)
        if any(name not in filters for name, _value in search.filters):
            continue
        yield source, apply_filters(readable(source, user), filters, search.filters).order_by("pk")


def apply_filters(
    rows: QuerySet[Any], filters: dict[str, SearchFilter], pairs: tuple[tuple[str, str], ...]
) -> QuerySet[Any]:
    """The rows matching every (parameter, value) of `pairs`, each one a key of `filters`."""
    for name, value in pairs:
        try:
            rows = filters[name](rows, value)
        except SearchError:
            raise
        except (ValueError, TypeError, OverflowError, ValidationError) as error:
            # A mapper's filter that let a bad value reach the ORM: still the client's mistake, a 400.
            raise SearchError(f"{name}: {value!r} cannot be used ({error}).") from None
    return rows


@dataclass(frozen=True)
class Page:
    total: int
    resources: list[dict[str, Any]]
    # The patient each resource is about (None for a Medication, say), in the same order.
    patient_ids: list[int | None] = field(default_factory=list)


def run(resource_type: str, search: Search, user: Any) -> Page:
    total = 0
    rows: list[Found] = []
    for source, queryset in filtered(resource_type, search, user):
        matched = queryset.count()
        start = max(search.offset - total, 0)
        wanted = search.count - len(rows)
        if wanted > 0 and start < matched:
            page = with_patient(source, queryset)[start : start + wanted]
            rows.extend(found(source, obj) for obj in page)
        total += matched
    return Page(
        total=total,
        resources=[row.resource for row in rows],
        patient_ids=[row.patient_id for row in rows],
    )
