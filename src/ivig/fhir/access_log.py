"""Every read and search of the FHIR API leaves a trace in the audit trail: who (the user and the token or
client), what (the interaction, the resource type, the ids returned and the query as sent) and about whom.

In the style of IHE Basic Audit Log Patterns (BALP): one row per patient the answer was about, so a patient's
audit page shows who looked at their record, and one row with no patient when the answer was about no patient
(an empty search, a Medication). ``ivig.fhir.resources.audit_event`` serves the rows back as FHIR AuditEvent.

A page of 500 resources costs two queries, whatever its patients: the patients' MRNs, one bulk insert.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from ivig.audit.models import AuditEvent
from ivig.fhir.query import Found, Page, Search
from ivig.patients.models import Patient

READ = "fhir.read"
SEARCH = "fhir.search"
# How each action appears in FHIR: restful-interaction code and AuditEvent.action (R4 audit-event-action).
INTERACTIONS = {READ: ("read", "R"), SEARCH: ("search-type", "E")}
TARGET_PREFIX = "fhir:"  # target_type "fhir:Observation": the FHIR type, as no one model holds it


def _who(request: HttpRequest) -> dict[str, Any]:
    """The token or client the request came with (an API token today; a SMART client may carry more)."""
    token = getattr(request, "api_token", None)
    if token is None:
        return {}
    found: dict[str, Any] = {"token_id": getattr(token, "pk", None)}
    for name in ("name", "prefix"):
        value = getattr(token, name, None)
        if isinstance(value, str) and value:
            found[f"token_{name}"] = value
    application = getattr(token, "application", None)
    if application is not None:
        found["client_id"] = str(getattr(application, "client_id", "") or "")
        found["client_name"] = str(getattr(application, "name", "") or "")
    return found


def _client_text(details: dict[str, Any]) -> str:
    if details.get("client_name") or details.get("client_id"):
        return f"client {details.get('client_name') or details.get('client_id')}"
    if details.get("token_name"):
        return f"API token {details['token_name']!r}"
    return "the API"


def _row(
    request: HttpRequest,
    *,
    action: str,
    resource_type: str,
    patient: tuple[int, str] | None,
    target_id: str,
    summary: str,
    details: dict[str, Any],
) -> AuditEvent:
    user = request.auth  # type: ignore[attr-defined]
    actor_id = getattr(user, "pk", None)
    return AuditEvent(
        action=action,
        actor_id=actor_id,
        actor_username=user.get_username() if actor_id is not None else "system",
        target_type=f"{TARGET_PREFIX}{resource_type}",
        target_id=target_id[:64],
        patient_id=patient[0] if patient else None,
        patient_mrn=patient[1] if patient else "",
        summary=summary[:300],
        after=details,
    )


def _context(request: HttpRequest, base: str) -> dict[str, Any]:
    return {
        **_who(request),
        "request": request.get_full_path(),  # exactly as sent (BALP: entity.query, base64)
        "address": request.META.get("REMOTE_ADDR", ""),
        "server": base,
    }


def _mrns(patient_ids: Sequence[int | None]) -> dict[int, str]:
    wanted = {pk for pk in patient_ids if pk is not None}
    if not wanted:
        return {}
    return dict(Patient.objects.filter(pk__in=wanted).values_list("pk", "mrn"))


@transaction.atomic
def record_read(request: HttpRequest, *, resource_type: str, found: Found, base: str) -> None:
    """Note that the request's user read one resource."""
    resource_id = str(found.resource.get("id", ""))
    mrns = _mrns([found.patient_id])
    patient = (found.patient_id, mrns.get(found.patient_id, "")) if found.patient_id is not None else None
    details = {"interaction": "read", "resource_type": resource_type, "ids": [resource_id]}
    details |= _context(request, base)
    summary = f"Read {resource_type}/{resource_id} through the FHIR API with {_client_text(details)}"
    row = _row(
        request,
        action=READ,
        resource_type=resource_type,
        patient=patient,
        target_id=resource_id,
        summary=summary,
        details=details,
    )
    AuditEvent.objects.bulk_create([row])


@transaction.atomic
def record_search(request: HttpRequest, *, resource_type: str, search: Search, page: Page, base: str) -> None:
    """Note that the request's user searched a type: one row per patient in the page (ids of that patient's
    resources), and one for the resources about no patient or when the page is empty."""
    by_patient: dict[int | None, list[str]] = {}
    for resource, patient_id in zip(page.resources, page.patient_ids, strict=True):
        by_patient.setdefault(patient_id, []).append(str(resource.get("id", "")))
    if not by_patient:
        by_patient[None] = []
    mrns = _mrns(list(by_patient))
    applied = "&".join(f"{name}={value}" for name, value in search.filters)
    context = _context(request, base)
    shown = f"{len(page.resources)} of {page.total}"
    rows = []
    for patient_id, ids in by_patient.items():
        details = {
            "interaction": "search-type",
            "resource_type": resource_type,
            "query": applied,
            "ignored": list(search.ignored),
            "total": page.total,
            "returned": len(page.resources),
            "ids": ids,
            **context,
        }
        about = f", {len(ids)} about this patient" if patient_id is not None else ""
        summary = (
            f"Searched {resource_type}?{applied} through the FHIR API with {_client_text(details)}: "
            f"{shown} shown{about}"
        )
        patient = (patient_id, mrns.get(patient_id, "")) if patient_id is not None else None
        rows.append(
            _row(
                request,
                action=SEARCH,
                resource_type=resource_type,
                patient=patient,
                target_id="",
                summary=summary,
                details=details,
            )
        )
    AuditEvent.objects.bulk_create(rows)
