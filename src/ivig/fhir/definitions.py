"""The definitions our resources cite, served read-only so every canonical URL of ours resolves.

- Questionnaire/after-infusion-diary: what the diary's QuestionnaireResponses answer.
- CodeSystem/lab-kind, symptom-severity, diary-triage: the codes of ours that Observations and
  QuestionnaireResponses carry.
- SearchParameter/<Type>-<name>: each search parameter we offer that R4 does not define for that type (the
  CapabilityStatement's searchParam.definition points to it).

``R4_SEARCH_PARAMETERS`` is R4's search parameter registry (4.0.1, each type's search page) for the types we
serve: a parameter of ours with one of those names must have the same type, and any other needs an entry in
``CUSTOM_PARAMETERS`` (tests/integration/fhir/test_it_declares_search_parameters_as_r4.py checks both).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ivig.clinical.labs import LabKind
from ivig.clinical.triage import Level, Severity, Symptom
from ivig.fhir import registry
from ivig.fhir.codes import ivig_url
from ivig.fhir.search import param_type, values

DEFINITION_TYPES = ("CodeSystem", "Questionnaire", "SearchParameter")
QUESTIONNAIRE_ID = "after-infusion-diary"
COMMON_PARAMETERS = {"_id": "token", "_lastUpdated": "date"}
_T, _D, _R, _S, _U, _Q = "token", "date", "reference", "string", "uri", "quantity"
R4_SEARCH_PARAMETERS: dict[str, dict[str, str]] = {
    "AdverseEvent": {
        "actuality": _T, "category": _T, "date": _D, "event": _T, "location": _R, "recorder": _R,
        "resultingcondition": _R, "seriousness": _T, "severity": _T, "study": _R, "subject": _R,
        "substance": _R,
    },
    "Appointment": {
        "actor": _R, "appointment-type": _T, "based-on": _R, "date": _D, "identifier": _T, "location": _R,
        "part-status": _T, "patient": _R, "practitioner": _R, "reason-code": _T, "reason-reference": _R,
        "service-category": _T, "service-type": _T, "slot": _R, "specialty": _T, "status": _T,
        "supporting-info": _R,
    },
    "AuditEvent": {
        "action": _T, "address": _S, "agent": _R, "agent-name": _S, "agent-role": _T, "altid": _T, "date": _D,
        "entity": _R, "entity-name": _S, "entity-role": _T, "entity-type": _T, "outcome": _T, "patient": _R,
        "policy": _U, "site": _T, "source": _R, "subtype": _T, "type": _T,
    },
    "Group": {
        "actual": _T, "characteristic": _T, "characteristic-value": "composite", "code": _T, "exclude": _T,
        "identifier": _T, "managing-entity": _R, "member": _R, "type": _T, "value": _T,
    },
    "Medication": {
        "code": _T, "expiration-date": _D, "form": _T, "identifier": _T, "ingredient": _R,
        "ingredient-code": _T, "lot-number": _T, "manufacturer": _R, "status": _T,
    },
    "MedicationAdministration": {
        "code": _T, "context": _R, "device": _R, "effective-time": _D, "identifier": _T, "medication": _R,
        "patient": _R, "performer": _R, "reason-given": _T, "reason-not-given": _T, "request": _R,
        "status": _T, "subject": _R,
    },
    "MedicationDispense": {
        "code": _T, "context": _R, "destination": _R, "identifier": _T, "medication": _R, "patient": _R,
        "performer": _R, "prescription": _R, "receiver": _R, "responsibleparty": _R, "status": _T,
        "subject": _R, "type": _T, "whenhandedover": _D, "whenprepared": _D,
    },
    "MedicationRequest": {
        "authoredon": _D, "category": _T, "code": _T, "date": _D, "encounter": _R, "identifier": _T,
        "intended-dispenser": _R, "intended-performer": _R, "intended-performertype": _T, "intent": _T,
        "medication": _R, "patient": _R, "priority": _T, "requester": _R, "status": _T, "subject": _R,
    },
    "Observation": {
        "based-on": _R, "category": _T, "code": _T, "combo-code": _T, "combo-data-absent-reason": _T,
        "combo-value-concept": _T, "combo-value-quantity": _Q, "component-code": _T,
        "component-data-absent-reason": _T, "component-value-concept": _T, "component-value-quantity": _Q,
        "data-absent-reason": _T, "date": _D, "derived-from": _R, "device": _R, "encounter": _R,
        "focus": _R, "has-member": _R, "identifier": _T, "method": _T, "part-of": _R, "patient": _R,
        "performer": _R, "specimen": _R, "status": _T, "subject": _R, "value-concept": _T,
        "value-date": _D, "value-quantity": _Q, "value-string": _S,
    },
    "Patient": {
        "active": _T, "address": _S, "address-city": _S, "address-country": _S, "address-postalcode": _S,
        "address-state": _S, "address-use": _T, "birthdate": _D, "death-date": _D, "deceased": _T,
        "email": _T, "family": _S, "gender": _T, "general-practitioner": _R, "given": _S, "identifier": _T,
        "language": _T, "link": _R, "name": _S, "organization": _R, "phone": _T, "phonetic": _S,
        "telecom": _T,
    },
    "QuestionnaireResponse": {
        "author": _R, "authored": _D, "based-on": _R, "encounter": _R, "identifier": _T, "part-of": _R,
        "patient": _R, "questionnaire": _R, "source": _R, "status": _T, "subject": _R,
    },
    "Schedule": {
        "active": _T, "actor": _R, "date": _D, "identifier": _T, "service-category": _T,
        "service-type": _T, "specialty": _T,
    },
    "Slot": {
        "appointment-type": _T, "identifier": _T, "schedule": _R, "service-category": _T,
        "service-type": _T, "specialty": _T, "start": _D, "status": _T,
    },
    # The definitions themselves (searchable by url and _id).
    "CodeSystem": {"url": _U},
    "Questionnaire": {"url": _U},
    "SearchParameter": {"url": _U},
}  # fmt: skip


@dataclass(frozen=True)
class Custom:
    """A search parameter R4 does not define for its type: what it searches (its FHIRPath, when one says)."""

    description: str
    expression: str = ""


_PATIENT = "The patient the {what} is about (a Patient id or Patient/<id>)."
_LOT = "The manufacturer's lot number of a vial {how}, exactly as printed (case matters)."
CUSTOM_PARAMETERS: dict[tuple[str, str], Custom] = {
    ("AdverseEvent", "patient"): Custom(
        _PATIENT.format(what="adverse event"), "AdverseEvent.subject.where(resolve() is Patient)"
    ),
    ("AdverseEvent", "lot"): Custom(
        _LOT.format(how="suspected of the reaction"), "AdverseEvent.suspectEntity.instance"
    ),
    ("MedicationAdministration", "date"): Custom(
        "When the infusion or rate segment started: the same as effective-time.",
        "MedicationAdministration.effective",
    ),
    ("MedicationAdministration", "lot"): Custom(
        _LOT.format(how="given (scanned at the bedside, or dispensed for the order when none was scanned)"),
        "MedicationAdministration.supportingInformation",
    ),
    ("MedicationDispense", "date"): Custom(
        "When the vials were handed over: the same as whenhandedover.", "MedicationDispense.whenHandedOver"
    ),
    ("MedicationDispense", "lot"): Custom(_LOT.format(how="handed over"), "MedicationDispense.medication"),
    ("MedicationRequest", "lot"): Custom(_LOT.format(how="dispensed for the order")),
    ("QuestionnaireResponse", "date"): Custom(
        "When the diary entry was recorded: the same as authored.", "QuestionnaireResponse.authored"
    ),
    ("Slot", "date"): Custom("When the chair time starts: the same as start.", "Slot.start"),
    ("Slot", "patient"): Custom(_PATIENT.format(what="appointment holding the slot")),
}


def is_standard(resource_type: str, name: str) -> bool:
    return name in COMMON_PARAMETERS or name in R4_SEARCH_PARAMETERS.get(resource_type, {})


def search_parameter_id(resource_type: str, name: str) -> str:
    return f"{resource_type}-{name}"


def definition_url(resource_type: str, name: str) -> str | None:
    """The canonical URL of our definition of a parameter; None for R4's own (and undeclared) ones."""
    if is_standard(resource_type, name) or (resource_type, name) not in CUSTOM_PARAMETERS:
        return None
    return ivig_url(f"SearchParameter/{search_parameter_id(resource_type, name)}")


def _search_parameters() -> list[dict[str, Any]]:
    from ivig.fhir.query import common_filters  # query imports the registry the mappers fill

    found: list[dict[str, Any]] = []
    for (resource_type, name), custom in sorted(CUSTOM_PARAMETERS.items()):
        filters = [
            common_filters(s)[name] for s in registry.sources(resource_type) if name in common_filters(s)
        ]
        if not filters:
            continue
        first = filters[0]
        resource: dict[str, Any] = {
            "resourceType": "SearchParameter",
            "id": search_parameter_id(resource_type, name),
            "url": ivig_url(f"SearchParameter/{search_parameter_id(resource_type, name)}"),
            "name": "".join(part.capitalize() for part in f"{resource_type}-{name}".split("-")),
            "status": "active",
            "experimental": False,
            "publisher": "ivig",
            "description": custom.description,
            "code": name,
            "base": [resource_type],
            "type": param_type(first),
        }
        if custom.expression:
            resource["expression"] = custom.expression
        targets = getattr(first, "targets", ())
        if resource["type"] == "reference" and targets:
            resource["target"] = list(targets)
        found.append(resource)
    return found


def _concepts(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"code": code, "display": display} for code, display in pairs]


def _code_system(
    code_id: str, name: str, title: str, description: str, pairs: list[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "resourceType": "CodeSystem",
        "id": code_id,
        "url": ivig_url(f"CodeSystem/{code_id}"),
        "name": name,
        "title": title,
        "status": "active",
        "experimental": False,
        "publisher": "ivig",
        "description": description,
        "caseSensitive": True,
        "content": "complete",
        "count": len(pairs),
        "concept": _concepts(pairs),
    }


def _lab_kinds() -> list[tuple[str, str]]:
    from ivig.patients.models import LabResult

    return [(kind.value, str(LabResult.Kind(kind.value).label).split(" (")[0]) for kind in LabKind]


def _severities() -> list[tuple[str, str]]:
    from ivig.followup.messages import SEVERITY_LABELS

    return [(level.name.lower(), str(SEVERITY_LABELS[level])) for level in Severity]


def _levels() -> list[tuple[str, str]]:
    from ivig.followup.messages import LEVEL_HEADINGS

    return [(level.code, str(LEVEL_HEADINGS[level])) for level in Level]


def _code_systems() -> list[dict[str, Any]]:
    return [
        _code_system(
            "lab-kind",
            "LabKind",
            "Laboratory result kinds",
            "The kinds of laboratory result the IVIG service records (Observation.code beside LOINC).",
            _lab_kinds(),
        ),
        _code_system(
            "symptom-severity",
            "SymptomSeverity",
            "Symptom severity in the after-infusion diary",
            "How bad a symptom is, as the family answers in the diary.",
            _severities(),
        ),
        _code_system(
            "diary-triage",
            "DiaryTriage",
            "After-infusion diary triage",
            "What the diary advised after an entry.",
            _levels(),
        ),
    ]


def _options(system: str, pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"valueCoding": {"system": system, "code": code, "display": text}} for code, text in pairs]


def _questionnaire() -> dict[str, Any]:
    from ivig.followup.messages import SYMPTOM_LABELS

    severity = ivig_url("CodeSystem/symptom-severity")
    symptoms = [
        {
            "linkId": f"symptom-{symptom.value}",
            "text": str(SYMPTOM_LABELS[symptom]),
            "type": "boolean",
            "item": [
                {
                    "linkId": f"symptom-{symptom.value}-severity",
                    "text": "How bad",
                    "type": "choice",
                    "answerOption": _options(severity, _severities()),
                }
            ],
        }
        for symptom in Symptom
    ]
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": ivig_url(f"Questionnaire/{QUESTIONNAIRE_ID}"),
        "name": "AfterInfusionDiary",
        "title": "After-infusion diary",
        "status": "active",
        "experimental": False,
        "subjectType": ["Patient"],
        "publisher": "ivig",
        "description": "What the patient or family records in the days after an immunoglobulin infusion.",
        "item": [
            {"linkId": "temperature", "text": "Temperature", "type": "quantity"},
            {"linkId": "temperature-as-entered", "text": "Temperature as typed", "type": "string"},
            {"linkId": "symptoms", "text": "Symptoms", "type": "group", "item": symptoms},
            {"linkId": "notes", "text": "Anything else", "type": "text"},
            {
                "linkId": "triage",
                "text": "What the diary advised",
                "type": "choice",
                "readOnly": True,
                "answerOption": _options(ivig_url("CodeSystem/diary-triage"), _levels()),
            },
        ],
    }


def definitions(resource_type: str) -> list[dict[str, Any]]:
    """Every definition of a type, built for the current base URL."""
    if resource_type == "CodeSystem":
        return _code_systems()
    if resource_type == "Questionnaire":
        return [_questionnaire()]
    if resource_type == "SearchParameter":
        return _search_parameters()
    return []


def definition(resource_type: str, resource_id: str) -> dict[str, Any] | None:
    return next((d for d in definitions(resource_type) if d["id"] == resource_id), None)


def search_definitions(
    resource_type: str, params: Any, *, lenient: bool = False
) -> tuple[list[dict[str, Any]], list[str]]:
    """The definitions of a type matching ``url`` and ``_id`` (a comma meaning "or"); all in one page.

    Returns them and the parameters left out (lenient); raises SearchError on an unknown parameter.
    """
    from ivig.fhir.query import RESULT_PARAMETERS  # query imports the registry the mappers fill

    found = definitions(resource_type)
    ignored: list[str] = []
    for name in params:
        if name in RESULT_PARAMETERS:
            continue
        if name not in ("url", "_id"):
            if lenient:
                ignored.append(name)
                continue
            raise registry.SearchError(
                f"{resource_type} has no search parameter {name!r}. Supported: _id, url."
            )
        key = "id" if name == "_id" else "url"
        for value in params.getlist(name):
            wanted = set(values(value))
            found = [d for d in found if d[key] in wanted]
    return found, ignored
