"""AuditEvent: the FHIR API's access log (ivig.fhir.access_log rows of the audit trail), id = the row's pk.

In the style of IHE Basic Audit Log Patterns (BALP) PatientRead / PatientQuery (without claiming the
profiles): type rest, subtype the RESTful interaction (read, search-type), action R (read) or E (search),
outcome 0 (success: only answered requests are logged). Agents: the user (information recipient, the
requestor), the client (Source Role ID: the API token or SMART client, with its network address) and this
server (Destination Role ID). Entities: the patient (role Patient) when the row is about one; for a read the
resource read (role Domain Resource); for a search the query as sent, base64 (role Query), with the
parameters applied as its description.

Readable by roles that may see the audit trail (VIEW_AUDIT). Search: patient, date (when recorded), agent
(the user account's id: users are not served as resources, so a reference to a Practitioner or other R4
agent type matches nothing), subtype (read | search-type).
"""

from __future__ import annotations

import base64
from typing import Any

from django.db.models import QuerySet

from ivig.accounts.roles import VIEW_AUDIT
from ivig.audit.models import AuditEvent
from ivig.fhir import search
from ivig.fhir.access_log import INTERACTIONS, TARGET_PREFIX
from ivig.fhir.registry import SearchError, Source, reference, register

EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type"
INTERACTION = "http://hl7.org/fhir/restful-interaction"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"
SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type"
ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role"
# The identifier system of our user accounts (AuditEvent.agent.who.identifier), like urn:ivig:mrn.
USER_SYSTEM = "urn:ivig:user"
SERVER = "ivig FHIR API"
# R4 AuditEvent-agent: Reference(Practitioner | Organization | Device | Patient | PractitionerRole |
# RelatedPerson); we serve users as none of them.
AGENT_TYPES = ("Practitioner", "Organization", "Device", "Patient", "PractitionerRole", "RelatedPerson")
# Bulk Data export (ivig.fhir.bulk): the $export operation, its files' downloads and its cancelling, each an
# "operation" interaction; AuditEvent.action by what it did (E execute, R read a file, D delete).
EXPORT_ACTIONS = {
    "fhir.export": "E",
    "fhir.export_download": "R",
    "fhir.export_cancel": "D",
    "fhir.export_delete": "D",
}
# Every audit row served as AuditEvent: action code -> (restful-interaction code, AuditEvent.action).
SERVED = {**INTERACTIONS, **{code: ("operation", verb) for code, verb in EXPORT_ACTIONS.items()}}


def _coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def _concept(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [_coding(system, code, display)]}


def _agents(event: AuditEvent, details: dict[str, Any]) -> list[dict[str, Any]]:
    user: dict[str, Any] = {
        "type": _concept(PARTICIPATION, "IRCP", "information recipient"),
        "who": {"display": event.actor_username},
        "altId": event.actor_username,
        "name": event.actor_username,
        "requestor": True,
    }
    if event.actor_id is not None:
        user["who"]["identifier"] = {"system": USER_SYSTEM, "value": str(event.actor_id)}
    client_name = details.get("client_name") or details.get("client_id")
    token_name = details.get("token_name")
    client_text = (
        f"SMART client {client_name}"
        if client_name
        else f"API token {token_name!r} ({details.get('token_prefix', '')}…)"
        if token_name
        else "API client"
    )
    client: dict[str, Any] = {
        "type": _concept(DICOM, "110153", "Source Role ID"),
        "who": {"display": client_text},
        "requestor": False,
    }
    if details.get("address"):
        client["network"] = {"address": str(details["address"]), "type": "2"}  # IP address
    server: dict[str, Any] = {
        "type": _concept(DICOM, "110152", "Destination Role ID"),
        "who": {"display": SERVER},
        "requestor": False,
    }
    if details.get("server"):
        server["network"] = {"address": str(details["server"]), "type": "5"}  # URI
    return [user, client, server]


def _entities(event: AuditEvent, details: dict[str, Any], interaction: str) -> list[dict[str, Any]]:
    entities: list[dict[str, Any]] = []
    if event.patient_id is not None:
        entities.append(
            {
                "what": reference("Patient", event.patient_id),
                "type": _coding(ENTITY_TYPE, "1", "Person"),
                "role": _coding(OBJECT_ROLE, "1", "Patient"),
            }
        )
    resource_type = event.target_type.removeprefix(TARGET_PREFIX)
    if interaction == "read":
        entities.extend(
            {
                "what": {"reference": f"{resource_type}/{resource_id}"},
                "type": _coding(ENTITY_TYPE, "2", "System Object"),
                "role": _coding(OBJECT_ROLE, "4", "Domain Resource"),
            }
            for resource_id in details.get("ids", [])
        )
    elif event.action in EXPORT_ACTIONS:
        export: dict[str, Any] = {
            "type": _coding(ENTITY_TYPE, "2", "System Object"),
            "role": _coding(OBJECT_ROLE, "24", "Query"),
            "name": f"$export {event.target_id}",
            "description": event.summary,
        }
        entities.append(export)
    elif details.get("request"):
        query: dict[str, Any] = {
            "type": _coding(ENTITY_TYPE, "2", "System Object"),
            "role": _coding(OBJECT_ROLE, "24", "Query"),
            "query": base64.b64encode(str(details["request"]).encode()).decode("ascii"),
        }
        query["description"] = f"{resource_type}?{details.get('query', '')}"
        entities.append(query)
    return entities


def to_fhir(event: AuditEvent) -> dict[str, Any]:
    details = event.after if isinstance(event.after, dict) else {}
    interaction, action = SERVED.get(event.action, ("operation", "E"))
    site = str(details.get("server", "")).split("/")[2:3]
    source: dict[str, Any] = {
        "observer": {"display": SERVER},
        "type": [_coding(SOURCE_TYPE, "4", "Application Server")],
    }
    if site:
        source["site"] = site[0]
    return {
        "resourceType": "AuditEvent",
        "id": str(event.pk),
        "type": _coding(EVENT_TYPE, "rest", "Restful Operation"),
        "subtype": [_coding(INTERACTION, interaction, interaction)],
        "action": action,
        "recorded": event.at.isoformat(),
        "outcome": "0",
        "outcomeDesc": event.summary or None,
        "agent": _agents(event, details),
        "source": source,
        "entity": _entities(event, details, interaction),
    }


def _clean(resource: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in resource.items() if value not in (None, "", [])}


def _by_patient(events: QuerySet[Any], value: str) -> QuerySet[Any]:
    wanted = [search.parse_id(part, "Patient") for part in search.values(value)]
    return events.filter(patient_id__in=wanted)


def _by_agent(events: QuerySet[Any], value: str) -> QuerySet[Any]:
    wanted = []
    for part in search.values(value):
        named = part.rsplit("/", 2)[-2] if "/" in part else None
        if named is not None and named not in AGENT_TYPES:
            raise SearchError(f"agent {part!r} is not an AuditEvent agent: give a user account id")
        if named is None:
            if not (part.isascii() and part.isdigit() and len(part) <= 18):
                raise SearchError(f"agent {part!r} is not a user account id (a number)")
            wanted.append(int(part))
    return events.filter(actor_id__in=wanted)


def _by_subtype(events: QuerySet[Any], value: str) -> QuerySet[Any]:
    actions: dict[str, list[str]] = {}
    for action, (code, _verb) in SERVED.items():
        actions.setdefault(code, []).append(action)
    wanted = []
    for part in search.values(value):
        system, code = search.parse_token(part)
        if code not in actions:
            raise SearchError(f"subtype {part!r} is not known: use one of {', '.join(actions)}")
        if system in (None, INTERACTION):
            wanted.extend(actions[code])
    return events.filter(action__in=wanted)


def access_events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(action__in=list(SERVED))


register(
    Source(
        resource_type="AuditEvent",
        model=AuditEvent,
        to_fhir=lambda event: _clean(to_fhir(event)),
        patient_path=None,
        permission=VIEW_AUDIT,
        search={
            "patient": search.Param("reference", _by_patient, targets=("Patient",)),
            "date": search.by_date("at"),
            "agent": search.Param("reference", _by_agent, targets=AGENT_TYPES),
            "subtype": search.token(_by_subtype, example="read"),
        },
        queryset=access_events,
        updated_field="at",  # audit rows never change
        audit_patient="patient_id",
    )
)
