"""The FHIR R4 API (django-ninja), mounted at /fhir/: metadata, read, search, bulk export
(ivig.fhir.bulk_api), and the import of transaction Bundles from an EHR (POST /fhir/).

Every call but /metadata, /openapi.json and the definitions we cite (ivig.fhir.definitions) authenticates
with a bearer token (ivig.fhir.auth: a personal API token or a SMART access token) and reads with the token
user's role limits, narrowed by a SMART token's scopes (ivig.fhir.scope); every read and search is recorded
(ivig.fhir.access_log). Errors are OperationOutcomes, never HTML or a 500.
Resource types come from the registry (ivig.fhir.registry), so this module never names one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.views import defaults
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.params.functions import Query
from ninja.renderers import BaseRenderer

from ivig import clock
from ivig.accounts.roles import ADD_LAB, ADD_PATIENT
from ivig.fhir import access_log, addresses, bulk_api, definitions, export, importing, query
from ivig.fhir.auth import BearerToken
from ivig.fhir.bundles import capability_statement, operation_outcome, searchset
from ivig.fhir.registry import SearchError
from ivig.fhir.scope import Forbidden

FHIR_JSON = "application/fhir+json"
# What a database that is down, restarting or out of connections raises; the API answers 503 and this many
# seconds to wait (Retry-After).
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_S = 60
DIGITS = "^[0-9]+$"
# Every FHIR response body is a resource (or the $export manifest): a JSON object.
FHIR_RESPONSES: dict[int, type] = {200: dict, 400: dict, 401: dict, 403: dict, 404: dict, 406: dict}
IMPORT_RESPONSES: dict[int, type] = {
    200: dict,
    400: dict,
    401: dict,
    403: dict,
    406: dict,
    412: dict,
    413: dict,
    422: dict,
}
# The largest Bundle POST /fhir/ reads: room for importing.MAX_ENTRIES entries of about 3 kB each (Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB, would refuse a few thousand entries).
MAX_IMPORT_BYTES = 32 * 1024 * 1024
# The request body of POST /fhir/ as OpenAPI documents it: a FHIR transaction Bundle.
TRANSACTION_BODY = {
    "required": True,
    "content": {
        content_type: {
            "schema": {
                "type": "object",
                "required": ["resourceType", "type", "entry"],
                "properties": {
                    "resourceType": {"type": "string", "enum": ["Bundle"]},
                    "type": {"type": "string", "enum": ["transaction"]},
                    "entry": {"type": "array", "items": {"type": "object"}},
                },
            }
        }
        for content_type in (FHIR_JSON, "application/json")
    },
}


class FhirJSONRenderer(BaseRenderer):
    media_type = FHIR_JSON

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return export.dumps(data)


api = NinjaAPI(
    title="ivig FHIR R4 API",
    version="1",
    description=(
        "Read, search and bulk export of FHIR R4 resources. "
        "Authenticate with `Authorization: Bearer <token>`: a personal API token acts with its user's role "
        "limits; a SMART access token (see /fhir/.well-known/smart-configuration) with those narrowed by its "
        "scopes and launch patient."
    ),
    urls_namespace="fhir",
    renderer=FhirJSONRenderer(),
    auth=BearerToken(),
    docs_url=None,  # the interactive docs load scripts from a CDN, which the Content-Security-Policy forbids
    openapi_url="/openapi.json",
)


def fhir_response(request: HttpRequest, data: dict[str, Any], status: int = 200) -> HttpResponse:
    """JSON in the media type the client asked for: application/fhir+json unless it wants plain JSON."""
    accept = request.headers.get("Accept", "")
    content_type = (
        "application/json" if "application/json" in accept and FHIR_JSON not in accept else FHIR_JSON
    )
    return HttpResponse(export.dumps(data), status=status, content_type=content_type)


def _outcome(request: HttpRequest, status: int, message: str) -> HttpResponse:
    response = fhir_response(request, operation_outcome(status, message), status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fhir"'
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    if not request.headers.get("Authorization"):
        return _outcome(request, 401, "Send a valid API token: Authorization: Bearer <token>.")
    response = _outcome(request, 401, "The token is unknown, expired or revoked: get a new one.")
    response["WWW-Authenticate"] = 'Bearer realm="fhir", error="invalid_token"'
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: Exception) -> HttpResponse:
    problems = []
    for error in getattr(exc, "errors", []):
        location = [str(part) for part in error.get("loc", ())]
        name = location[-1] if location else "request"
        if error.get("type") == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == DIGITS:
            problems.append(f"{name} must be a whole number.")
        else:
            problems.append(f"{name}: {error.get('msg', 'not valid')}.")
    return _outcome(request, 400, " ".join(problems) or "The request's parameters are not valid.")


@api.exception_handler(SearchError)
def _bad_search(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _outcome(request, 400, str(exc))


@api.exception_handler(Forbidden)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _outcome(request, 403, str(exc))


@api.exception_handler(query.UnknownType)
def _unknown_type(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _outcome(request, 404, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _outcome(request, 404, str(exc) or "Not found.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    status = getattr(exc, "status_code", 400)
    return _outcome(request, status, str(exc))


def api_base(request: HttpRequest) -> str:
    """The API's absolute base URL, ending in "/": under IVIG_PUBLIC_URL, else the request's address."""
    return addresses.request_base(request, api.get_root_path({}))


def not_acceptable(request: HttpRequest, message: str) -> HttpResponse:
    """406: the client accepts only a format this server does not offer (the outcome itself is JSON)."""
    return HttpResponse(export.dumps(operation_outcome(406, message)), status=406, content_type=FHIR_JSON)


def _software_version() -> str:
    try:
        return version("ivig")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without metadata
        return "0"


@api.get("/metadata", auth=None, response=FHIR_RESPONSES, summary="CapabilityStatement")
def metadata(request: HttpRequest) -> HttpResponse:
    """What this server offers. Readable without a token, as FHIR allows."""
    statement = capability_statement(
        base=api_base(request), software_version=_software_version(), date=clock.now().date().isoformat()
    )
    return fhir_response(request, statement)


# Bulk Data export (kick-off, status, files): registered here, before the /{resource_type} routes below,
# which would otherwise answer its paths.
bulk_api.mount(api)


@api.post(
    "/",
    response=IMPORT_RESPONSES,
    openapi_extra={"requestBody": TRANSACTION_BODY},
    summary="Import a transaction Bundle of Patients and lab Observations",
)
def transaction(request: HttpRequest) -> HttpResponse:
    """Import an EHR's transaction Bundle, all entries or none (ivig.fhir.importing).

    200 with a transaction-response Bundle; 400 when the body is not a transaction Bundle; 422 with an
    OperationOutcome naming each failing entry (nothing is written); 403 for a role that may add neither
    patients nor lab results; 412 when a Patient entry's ifNoneExist matches several patients; 413 for a body
    over MAX_IMPORT_BYTES.
    """
    user = request.auth  # type: ignore[attr-defined]
    if not (user.has_perm(ADD_PATIENT) or user.has_perm(ADD_LAB)):
        raise Forbidden("Your role does not allow importing patients or lab results.")
    result = importing.import_json(_import_body(request), by=user)
    return fhir_response(request, result.resource, result.status_code)


def _import_body(request: HttpRequest) -> bytes:
    """The request body up to MAX_IMPORT_BYTES, read from the stream (request.body stops at 2.5 MB)."""
    too_large = HttpError(
        413, f"The Bundle is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB: send it in parts."
    )
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > MAX_IMPORT_BYTES:
        raise too_large
    body = request.read(MAX_IMPORT_BYTES + 1)
    if len(body) > MAX_IMPORT_BYTES:
        raise too_large
    return body


def _definition_views(resource_type: str) -> None:
    """GET /<type> and /<type>/<id> for one kind of definition: readable without a token, like /metadata,
    so a canonical URL in a resource resolves for whoever follows it. Not audited: no patient's data."""

    def search_definitions(request: HttpRequest) -> HttpResponse:
        lenient = query.lenient(request.headers.get("Prefer"))
        found, ignored = definitions.search_definitions(resource_type, request.GET, lenient=lenient)
        parsed = query.Search(filters=(), count=query.MAX_COUNT, offset=0, ignored=tuple(ignored))
        page = query.Page(total=len(found), resources=found, patient_ids=[None] * len(found))
        bundle = searchset(
            base=api_base(request), resource_type=resource_type, params=request.GET, search=parsed, page=page
        )
        return fhir_response(request, bundle)

    def read_definition(request: HttpRequest, resource_id: str) -> HttpResponse:
        resource = definitions.definition(resource_type, resource_id)
        if resource is None:
            raise Http404(f"{resource_type}/{resource_id} does not exist.")
        return fhir_response(request, resource)

    routes: list[tuple[str, str, str, Callable[..., HttpResponse]]] = [
        ("", "search", f"Search the {resource_type} definitions we cite", search_definitions),
        ("/{resource_id}", "read", f"Read a {resource_type} we cite", read_definition),
    ]
    for path, verb, summary, view in routes:
        operation = f"{verb}_{resource_type}"
        route = api.get(
            f"/{resource_type}{path}",
            auth=None,
            response=FHIR_RESPONSES,
            summary=summary,
            operation_id=operation,
        )
        route(view)


# Registered before the generic search and read, so these paths reach them first.
for _definition_type in definitions.DEFINITION_TYPES:
    _definition_views(_definition_type)


@api.get("/{resource_type}", response=FHIR_RESPONSES, summary="Search a resource type")
def search(
    request: HttpRequest,
    resource_type: str,
    patient: str | None = Query(None, description="Patient id or Patient/<id>"),
    date: str | None = Query(None, description="FHIR date, optionally prefixed eq, lt, le, gt, ge"),
    lot: str | None = Query(None, description="Manufacturer's lot number"),
    count: str | None = Query(
        None, alias="_count", description=f"Page size, 0 to {query.MAX_COUNT}", pattern=DIGITS
    ),
    offset: str | None = Query(None, alias="_offset", description="Resources to skip", pattern=DIGITS),
    page: str | None = Query(
        None, alias="_page", description="1-based page number (instead of _offset)", pattern=DIGITS
    ),
) -> HttpResponse:
    """A searchset Bundle of the matching resources the token's user may read, one page at a time.

    An unknown parameter is refused (400) unless the request says `Prefer: handling=lenient`, which leaves
    it out (and out of the self link). Each search is recorded in the audit trail.
    """
    query.type_sources(resource_type)
    lenient = query.lenient(request.headers.get("Prefer"))
    parsed = query.parse(request.GET, resource_type, lenient=lenient)
    found = query.run(resource_type, parsed, request.auth)  # type: ignore[attr-defined]
    base = api_base(request)
    bundle = searchset(base=base, resource_type=resource_type, params=request.GET, search=parsed, page=found)
    access_log.record_search(request, resource_type=resource_type, search=parsed, page=found, base=base)
    return fhir_response(request, bundle)


@api.get("/{resource_type}/{resource_id}", response=FHIR_RESPONSES, summary="Read one resource")
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    """One resource the token's user may read; each read is recorded in the audit trail."""
    found = query.find(resource_type, resource_id, request.auth)  # type: ignore[attr-defined]
    if found is None:
        raise Http404(f"{resource_type}/{resource_id} does not exist or is not yours to read.")
    access_log.record_read(request, resource_type=resource_type, found=found, base=api_base(request))
    return fhir_response(request, found.resource)


def unavailable(request: HttpRequest) -> HttpResponse:
    """The database does not answer (it is down, restarting or out of connections): 503, try again later."""
    response = _outcome(request, 503, "The database is not answering: try again in a minute.")
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """settings' handler500: under /fhir/ an OperationOutcome (503 when the database is down), not the HTML
    page; elsewhere Django's 500 page. Called while the exception is handled, so sys.exc_info() holds it."""
    if not request.path.startswith("/fhir/"):
        return defaults.server_error(request)
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return unavailable(request)
    return _outcome(request, 500, "The server failed to answer this request; the error is logged.")


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /fhir/: a 404 OperationOutcome rather than an HTML page."""
    return _outcome(request, 404, f"This FHIR server has nothing at /fhir/{rest}.")


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    response = _outcome(request, 405, f"{request.method} is not allowed here; use {allowed}.")
    response["Allow"] = allowed
    return response
