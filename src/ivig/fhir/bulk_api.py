"""FHIR Bulk Data Access IG v2 over HTTP: kick-off, status, cancel and file download (ivig.fhir.bulk).

- Kick-off: GET, or POST with a Parameters resource, on `/fhir/$export` (everything), `/fhir/Patient/$export`
  (the patient compartment of every patient the user may read) and `/fhir/Group/{id}/$export` (of a Group's
  members). 202 Accepted with `Content-Location`: the absolute status URL. `Accept` (if sent) must allow
  application/fhir+json; `Prefer` (if sent) must include respond-async; a missing `Prefer` is taken as
  respond-async, as the IG allows. `Prefer: handling=lenient` ignores unsupported parameters (and says so in
  the manifest's error files) instead of refusing them.
- Status: GET the status URL: 202 with X-Progress and Retry-After while waiting or running; 200 with the
  manifest (and Expires) when complete; 500 with an OperationOutcome when the export failed; 404 once it is
  cancelled, deleted or expired. DELETE cancels a waiting or running export, or deletes a complete one's
  files.
- Files: GET each manifest URL with the same bearer token: application/fhir+ndjson, streamed from disk.

`mount(api)` registers the routes; ivig.fhir.api calls it before its `/{resource_type}` routes, which would
otherwise answer these paths.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.http import http_date
from ninja import NinjaAPI

from ivig.fhir import bulk, query
from ivig.fhir.bundles import operation_outcome
from ivig.fhir.export import dumps
from ivig.fhir.models import ExportJob
from ivig.fhir.registry import SearchError
from ivig.fhir.scope import readable

FHIR_JSON = "application/fhir+json"
NDJSON = "application/fhir+ndjson"
ACCEPTABLE = ("application/fhir+json", "application/json", "*/*", "application/*")
RETRY_AFTER_SECONDS = 5
KICK_OFF_RESPONSES: dict[int, type] = {202: dict, 400: dict, 401: dict, 403: dict, 404: dict, 429: dict}
PARAMETER_DOCS = {
    "_outputFormat": "application/fhir+ndjson (the default), application/ndjson or ndjson",
    "_since": "FHIR instant: only resources changed after it",
    "_type": "Comma-separated resource types",
    "_typeFilter": "Type?search, e.g. Observation?category=laboratory (comma-separated or repeated)",
}
KICK_OFF_DOCS: dict[str, Any] = {
    "parameters": [
        *[
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": text,
            }
            for name, text in PARAMETER_DOCS.items()
        ],
        {
            "name": "Prefer",
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": "respond-async (assumed when missing); "
            "handling=lenient ignores unsupported parameters",
        },
    ],
    "responses": {
        202: {
            "description": "Accepted: poll the Content-Location URL",
            "headers": {"Content-Location": {"schema": {"type": "string"}}},
        }
    },
}
PARAMETERS_BODY: dict[str, Any] = {
    "required": False,
    "content": {
        content_type: {
            "schema": {
                "type": "object",
                "required": ["resourceType"],
                "properties": {
                    "resourceType": {"type": "string", "enum": ["Parameters"]},
                    "parameter": {"type": "array", "items": {"type": "object"}},
                },
            }
        }
        for content_type in (FHIR_JSON, "application/json")
    },
}
STATUS_DOCS: dict[str, Any] = {
    "responses": {
        200: {
            "description": "Complete: the manifest",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        202: {"description": "Waiting or running (X-Progress, Retry-After); no body"},
    }
}


def _base(request: HttpRequest) -> str:
    from ivig.fhir.api import api_base

    return api_base(request)


def _outcome(status: int, message: str, *, severity: str = "error", code: str | None = None) -> HttpResponse:
    outcome = operation_outcome(status, message)
    outcome["issue"][0]["severity"] = severity
    if code:
        outcome["issue"][0]["code"] = code
    return HttpResponse(dumps(outcome), status=status, content_type=FHIR_JSON)


def _lenient(request: HttpRequest) -> bool:
    """Check Accept and Prefer (SearchError: 400); whether the client asked for handling=lenient."""
    accept = request.headers.get("Accept")
    if accept is not None and accept.strip():
        types = [part.split(";", 1)[0].strip().lower() for part in accept.split(",")]
        if not any(media in ACCEPTABLE for media in types):
            raise SearchError(f"Accept {accept!r}: $export answers in application/fhir+json; ask for that.")
    prefer = request.headers.get("Prefer")
    if prefer is None:
        return False
    preferences = {}
    for part in prefer.split(","):
        name, _eq, value = part.split(";", 1)[0].strip().partition("=")
        preferences[name.strip().lower()] = value.strip().strip('"').lower()
    if "respond-async" not in preferences:
        raise SearchError(
            f"Prefer {prefer!r}: $export runs in the background only; send Prefer: respond-async."
        )
    handling = preferences.get("handling", "strict")
    if handling not in ("strict", "lenient"):
        raise SearchError(f"Prefer handling={handling!r}: use handling=strict or handling=lenient.")
    return handling == "lenient"


def _body_parameters(request: HttpRequest) -> list[tuple[str, str]]:
    """The (name, value) pairs of a POSTed Parameters resource; SearchError for anything else."""
    body = request.body
    if not body.strip():
        return []
    if request.content_type not in (FHIR_JSON, "application/json"):
        raise SearchError("POST $export with a FHIR Parameters resource as application/fhir+json.")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise SearchError("The request body is not JSON: POST a FHIR Parameters resource.") from None
    if not isinstance(data, dict) or data.get("resourceType") != "Parameters":
        raise SearchError("POST $export with a FHIR Parameters resource (resourceType Parameters).")
    entries = data.get("parameter", [])
    if not isinstance(entries, list):
        raise SearchError("Parameters.parameter must be a list.")
    found = []
    for index, entry in enumerate(entries):
        where = f"Parameters.parameter[{index}]"
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name:
            raise SearchError(f"{where} needs a name.")
        values = [key for key in entry if key.startswith("value")]
        value = entry[values[0]] if len(values) == 1 else None
        if isinstance(value, dict) and isinstance(value.get("reference"), str):
            value = value["reference"]  # valueReference (the `patient` parameter)
        if not isinstance(value, str):
            raise SearchError(f"{where} ({name}) needs one value, such as valueString or valueInstant.")
        found.append((name, value))
    return found


def _check_group(user: Any, group_id: str) -> None:
    """403 when the role reads no Group; 404 for a Group that does not exist."""
    sources = query.readable_sources("Group", user)
    key = int(group_id) if group_id.isascii() and group_id.isdigit() and len(group_id) <= 18 else None
    if key is None or not any(readable(source, user).filter(pk=key).exists() for source in sources):
        raise Http404(f"Group/{group_id} does not exist or is not yours to read.")


def _kick_off(request: HttpRequest, level: str, group_id: str = "") -> HttpResponse:
    user = request.auth  # type: ignore[attr-defined]
    lenient = _lenient(request)
    if level == ExportJob.Level.GROUP:
        _check_group(user, group_id)
    params = [(name, value) for name in request.GET for value in request.GET.getlist(name)]
    if request.method == "POST":
        params.extend(_body_parameters(request))
    plan = bulk.plan_export(user=user, level=level, params=params, lenient=lenient, group_id=group_id)
    bulk.purge_expired()
    bulk.purge_orphans()
    try:
        job = bulk.start_export(
            by=user,
            token=getattr(request, "api_token", None),
            plan=plan,
            request_url=request.build_absolute_uri(),
        )
    except bulk.TooManyExports as error:
        response = _outcome(429, str(error), code="throttled")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS * 12)
        return response
    location = f"{_base(request)}$export-status/{job.pk}"
    response = _outcome(
        202, f"Export accepted; poll {location} for its status.", severity="information", code="informational"
    )
    response["Content-Location"] = location
    return response


def kick_off_system(request: HttpRequest) -> HttpResponse:
    """Export every resource the token's user may read (FHIR Bulk Data system-level export)."""
    return _kick_off(request, ExportJob.Level.SYSTEM)


def kick_off_patients(request: HttpRequest) -> HttpResponse:
    """Export the patient compartment of every patient the token's user may read."""
    return _kick_off(request, ExportJob.Level.PATIENT)


def kick_off_group(request: HttpRequest, group_id: str) -> HttpResponse:
    """Export the patient compartment of a Group's members (a Group is a care site's patients)."""
    return _kick_off(request, ExportJob.Level.GROUP, group_id)


def status(request: HttpRequest, job_id: str) -> HttpResponse:
    """The export's status: 202 while it runs, 200 with the manifest, 500 if it failed, 404 once gone."""
    job = bulk.job_for(job_id, request.auth)  # type: ignore[attr-defined]
    if job.status in bulk.ACTIVE:
        response = HttpResponse(status=202)
        del response["Content-Type"]  # no body: the status is in the headers
        response["X-Progress"] = bulk.progress(job)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if job.status == ExportJob.Status.FAILED:
        # The reason's class only: the full text (kept on the job, and in the worker's log) is for staff.
        reason = job.failure.split(":", 1)[0] or "no reason recorded"
        return _outcome(500, f"The export failed in the background worker ({reason}); start it again.")
    response = HttpResponse(dumps(bulk.manifest(job, _base(request))), content_type="application/json")
    if job.expires_at is not None:
        response["Expires"] = http_date(job.expires_at.timestamp())
    return response


def cancel(request: HttpRequest, job_id: str) -> HttpResponse:
    """Cancel a waiting or running export, or delete a finished one and its files: 202, then 404."""
    job = bulk.job_for(job_id, request.auth)  # type: ignore[attr-defined]
    job = bulk.cancel_export(by=request.auth, job=job)  # type: ignore[attr-defined]
    done = "cancelled" if job.status == ExportJob.Status.CANCELLED else "deleted with its files"
    return _outcome(202, f"Bulk export {job.pk} {done}.", severity="information", code="informational")


def download(request: HttpRequest, job_id: str, file_name: str) -> FileResponse:
    """One NDJSON file of a complete export, for its user (or an Admin); audited."""
    user = request.auth  # type: ignore[attr-defined]
    job = bulk.job_for(job_id, user)
    path, entry = bulk.output_file(job, file_name)
    bulk.record_download(by=user, job=job, entry=entry)
    return FileResponse(path.open("rb"), content_type=NDJSON)


def mount(api: NinjaAPI) -> None:
    """Register the Bulk Data routes on the FHIR API."""
    for path, view, summary in (
        ("/$export", kick_off_system, "Bulk export: everything"),
        ("/Patient/$export", kick_off_patients, "Bulk export: all patients"),
        ("/Group/{group_id}/$export", kick_off_group, "Bulk export: a group of patients"),
    ):
        docs = copy.deepcopy(KICK_OFF_DOCS)  # ninja adds these parameters to the path's own (group_id)
        name = view.__name__
        api.get(
            path,
            response=KICK_OFF_RESPONSES,
            summary=f"{summary} (kick-off)",
            openapi_extra=docs,
            operation_id=name,
        )(view)
        api.post(
            path,
            response=KICK_OFF_RESPONSES,
            summary=f"{summary} (kick-off with a Parameters resource)",
            openapi_extra={**docs, "requestBody": PARAMETERS_BODY},
            operation_id=f"{name}_post",
        )(view)
    status_responses: dict[int, type] = {200: dict, 401: dict, 404: dict, 500: dict}
    api.get(
        "/$export-status/{job_id}",
        response=status_responses,
        openapi_extra=STATUS_DOCS,
        summary="Bulk export status",
    )(status)
    api.delete(
        "/$export-status/{job_id}",
        response={202: dict, 401: dict, 404: dict},
        summary="Cancel or delete a bulk export",
    )(cancel)
    api.get(
        "/$export-file/{job_id}/{file_name}",
        response={200: str, 401: dict, 404: dict},
        openapi_extra={"responses": {200: {"content": {NDJSON: {"schema": {"type": "string"}}}}}},
        summary="Bulk export: one output file",
    )(download)
