"""FHIR envelopes: OperationOutcome, searchset Bundle with paging links, CapabilityStatement."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict

from ivig.fhir import definitions, registry
from ivig.fhir.query import MAX_COUNT, Page, Search, common_filters
from ivig.fhir.search import param_type
from ivig.smart.discovery import capability_security

FHIR_VERSION = "4.0.1"
BULK_DATA = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/"
# Bulk Data export (ivig.fhir.bulk_api) per resource type, as the IG's CapabilityStatement names them.
TYPE_OPERATIONS = {
    "Patient": [{"name": "export", "definition": f"{BULK_DATA}patient-export"}],
    "Group": [{"name": "export", "definition": f"{BULK_DATA}group-export"}],
}
# OperationOutcome.issue.code per HTTP status (FHIR R4 IssueType).
ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    413: "too-costly",
    500: "exception",
    503: "transient",
}


def operation_outcome(status: int, message: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": ISSUE_CODES.get(status, "processing"),
                "diagnostics": message,
            }
        ],
    }


def _url(base: str, resource_type: str, params: QueryDict, ignored: tuple[str, ...], **changes: int) -> str:
    """The search's URL with paging changed; parameters ignored under lenient handling are left out."""
    query = [
        (key, value)
        for key in params
        for value in params.getlist(key)
        if key not in ("_page", "_offset") and key not in ignored
    ]
    query = [(key, value) for key, value in query if key not in changes]
    query.extend((key, str(value)) for key, value in changes.items())
    return f"{base}{resource_type}?{urlencode(query)}"


def searchset(
    *, base: str, resource_type: str, params: QueryDict, search: Search, page: Page
) -> dict[str, Any]:
    """The page as a searchset Bundle; `base` is the API's absolute URL ending in "/"."""
    links = [
        {
            "relation": "self",
            "url": _url(
                base, resource_type, params, search.ignored, _count=search.count, _offset=search.offset
            ),
        }
    ]
    if search.count and search.offset + search.count < page.total:
        after = search.offset + search.count
        links.append(
            {
                "relation": "next",
                "url": _url(base, resource_type, params, search.ignored, _count=search.count, _offset=after),
            }
        )
    if search.offset > 0 and search.count:
        before = max(search.offset - search.count, 0)
        links.append(
            {
                "relation": "previous",
                "url": _url(base, resource_type, params, search.ignored, _count=search.count, _offset=before),
            }
        )
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": page.total,
        "link": links,
    }
    if page.resources:
        bundle["entry"] = [
            {
                "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
            for resource in page.resources
        ]
    return bundle


def search_params(resource_type: str) -> list[dict[str, Any]]:
    """A type's searchParam entries: each type read from the parameter's own filter (so the statement says
    what the search does), and a definition for each parameter R4 does not define for the type."""
    types: dict[str, str] = {}
    for source in registry.sources(resource_type):
        for name, search_filter in common_filters(source).items():
            types.setdefault(name, param_type(search_filter))
    entries = []
    for name in sorted(types):
        entry = {"name": name, "type": types[name]}
        url = definitions.definition_url(resource_type, name)
        if url is not None:
            entry["definition"] = url
        entries.append(entry)
    return entries


def _definition_resources() -> list[dict[str, Any]]:
    """The definitions we cite (ivig.fhir.definitions): read, and search by url."""
    return [
        {
            "type": resource_type,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [{"name": "_id", "type": "token"}, {"name": "url", "type": "uri"}],
        }
        for resource_type in definitions.DEFINITION_TYPES
    ]


def capability_statement(*, base: str, software_version: str, date: str) -> dict[str, Any]:
    """What this server offers: read and search-type per registered type; transaction and $export at the
    system level."""
    resources = [
        {
            "type": resource_type,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": search_params(resource_type),
            **({"operation": TYPE_OPERATIONS[resource_type]} if resource_type in TYPE_OPERATIONS else {}),
        }
        for resource_type in registry.resource_types()
    ]
    resources = sorted([*resources, *_definition_resources()], key=lambda entry: str(entry["type"]))
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "kind": "instance",
        "software": {"name": "ivig", "version": software_version},
        "implementation": {"description": "IVIG therapy system FHIR R4 API", "url": base.rstrip("/")},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "application/json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Bearer tokens (one per user, made on the API tokens page) carry the user's role limits. "
                    f"Searches page with _count (at most {MAX_COUNT}) and _offset or _page. An unknown "
                    "search parameter is refused (400) unless the request says Prefer: handling=lenient. "
                    "Every read and search is recorded in the audit trail (served as AuditEvent)."
                ),
                "security": capability_security(base),
                "resource": resources,
                # POST /fhir/: a transaction Bundle of Patients and lab Observations (ivig.fhir.importing).
                "interaction": [
                    {
                        "code": "transaction",
                        "documentation": "Import Patients and lab Observations from an EHR, all or nothing.",
                    }
                ],
                "operation": [{"name": "export", "definition": f"{BULK_DATA}export"}],
            }
        ],
    }
