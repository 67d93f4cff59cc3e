"""What a FHIR bulk export reads: per resource type, the rows of each source in the export's scope, as
NDJSON lines. The jobs around it (kick-off, the worker, files, status) are ivig.fhir.bulk.

The scope of an export: the reader's role limits (ivig.fhir.scope); for a Patient- or Group-level export only
the patient compartment (sources whose rows belong to a patient) of the patients in scope; `_since` (changed
after) and the export's transactionTime (changed at or before); and the `_typeFilter` searches, each a FHIR
search of the type (ivig.fhir.query), OR-ed together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict

from ivig.fhir import query, registry
from ivig.fhir.registry import SearchError, Source
from ivig.fhir.scope import may_read, readable

CHUNK_ROWS = 2000  # rows per database round trip
FLUSH_BYTES = 256 * 1024  # bytes handed to the server at a time by ndjson()
# Parameters of a search's result set or its includes: meaningless in an export (Bulk Data IG: _typeFilter
# SHALL NOT use them).
NOT_IN_TYPE_FILTER = (
    "_count",
    "_offset",
    "_page",
    "_format",
    "_include",
    "_revinclude",
    "_sort",
    "_elements",
)
# "Observation?code=a,MedicationRequest?status=active": a comma followed by the next query's type starts a
# new query; a comma inside a query is FHIR search's "or" and stays.
_NEXT_QUERY = re.compile(r",(?=[A-Z][A-Za-z]*\?)")

ENCODER = "json"
try:
    import orjson

    ENCODER = "orjson"

    def dumps(resource: dict[str, Any]) -> bytes:
        return bytes(orjson.dumps(resource))

except ImportError:  # pragma: no cover - orjson is optional

    def dumps(resource: dict[str, Any]) -> bytes:
        return json.dumps(resource, separators=(",", ":"), ensure_ascii=False).encode()


def in_compartment(source: Source) -> bool:
    """Whether the source's rows belong to patients (the patient compartment of Patient and Group export)."""
    return source.patient_path is not None or source.patient_filter is not None


@dataclass(frozen=True)
class Scope:
    user: Any
    compartment: bool = False  # Patient or Group level: only the patient compartment
    patients: QuerySet[Any] | None = None  # the Group's members; None: every patient the user may read
    since: datetime | None = None  # resources changed after this (`_since`)
    until: datetime | None = None  # ... and at or before this (the export's transactionTime)
    type_filters: dict[str, list[query.Search]] = field(default_factory=dict)


def sources(resource_type: str, scope: Scope) -> list[Source]:
    """The type's sources this export reads."""
    return [
        source
        for source in registry.sources(resource_type)
        if may_read(source, scope.user) and (in_compartment(source) or not scope.compartment)
    ]


def querysets(resource_type: str, scope: Scope) -> list[tuple[Source, QuerySet[Any]]]:
    """Per source, its rows in the export, ordered by primary key."""
    found = []
    for source in sources(resource_type, scope):
        rows = _scoped(source, scope)
        searches = scope.type_filters.get(resource_type)
        if searches:
            matching = [narrow(source, source.base_queryset(), search.filters) for search in searches]
            conditions = [Q(pk__in=match.values("pk")) for match in matching if match is not None]
            if not conditions:
                continue  # no `_typeFilter` query of this type can match this source's rows
            either = conditions[0]
            for condition in conditions[1:]:
                either |= condition
            rows = rows.filter(either)
        found.append((source, rows.order_by("pk")))
    return found


def _scoped(source: Source, scope: Scope) -> QuerySet[Any]:
    rows = readable(source, scope.user)
    if scope.compartment and scope.patients is not None:
        if source.patient_path is not None:
            field_name = f"{source.patient_path}__in" if source.patient_path else "pk__in"
            rows = rows.filter(**{field_name: scope.patients.values("pk")})
        else:
            assert source.patient_filter is not None
            rows = source.patient_filter(rows, scope.patients)
    elif scope.compartment and source.patient_path is None:
        # Patient-level export of rows that belong to patients through patient_filter (Medication: the lots
        # dispensed to someone), for every patient the user may read.
        assert source.patient_filter is not None
        from ivig.patients.models import Patient

        rows = source.patient_filter(rows, Patient.objects.all())
    if scope.since is not None:
        rows = rows.filter(**{f"{source.updated_field}__gt": scope.since})
    if scope.until is not None:
        rows = rows.filter(**{f"{source.updated_field}__lte": scope.until})
    return rows


def narrow(source: Source, rows: QuerySet[Any], filters: tuple[tuple[str, str], ...]) -> QuerySet[Any] | None:
    """The rows matching every (parameter, value); None when the source lacks one of the parameters."""
    available = query.common_filters(source)
    if any(name not in available for name, _value in filters):
        return None
    return query.apply_filters(rows, available, filters)


def split_type_filters(values: list[str]) -> list[str]:
    """The `_typeFilter` queries of one or more parameter values ("Type?search", comma-separated)."""
    return [part for value in values for part in _NEXT_QUERY.split(value) if part.strip()]


def parse_type_filter(text: str, user: Any) -> tuple[str, query.Search]:
    """One `_typeFilter` query ("Observation?code=http://loinc.org|2465-3"): its type and its search, checked
    as a search of that type would be (SearchError on an unknown type, parameter or value)."""
    resource_type, mark, search_text = text.strip().partition("?")
    if not mark or not resource_type:
        raise SearchError(f"_typeFilter {text!r} is not a search: write it as Type?parameter=value.")
    if resource_type not in registry.resource_types():
        raise SearchError(f"_typeFilter {text!r}: this server has no {resource_type} resources.")
    params = QueryDict(search_text)
    refused = [name for name in params if name.split(":", 1)[0] in NOT_IN_TYPE_FILTER]
    if refused:
        raise SearchError(f"_typeFilter {text!r}: {refused[0]} cannot be used in a bulk export.")
    if not params:
        raise SearchError(f"_typeFilter {text!r} has no search parameter.")
    search = query.parse(params, resource_type)
    for source in registry.sources(resource_type):
        if may_read(source, user):
            narrow(
                source, source.base_queryset(), search.filters
            )  # builds (never runs) the query: bad values raise
    return resource_type, search


def lines(source: Source, rows: QuerySet[Any]) -> Iterator[bytes]:
    """Each row as one NDJSON line (read CHUNK_ROWS at a time, so memory stays flat)."""
    for obj in rows.iterator(chunk_size=CHUNK_ROWS):
        yield dumps(source.resource(obj)) + b"\n"


def ndjson(resource_type: str, user: Any) -> Iterator[bytes]:
    """Every resource of the type the user may read as NDJSON, in chunks of about FLUSH_BYTES."""
    buffer: list[bytes] = []
    size = 0
    for source, rows in querysets(resource_type, Scope(user=user)):
        for line in lines(source, rows):
            buffer.append(line)
            size += len(line)
            if size >= FLUSH_BYTES:
                yield b"".join(buffer)
                buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)
