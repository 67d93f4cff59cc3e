"""AdverseEvent (id = AdverseEventReport pk) from the hemovigilance adverse-event register.

- event: the reaction as text (no SNOMED code: the register keeps free-text descriptions, and we do not guess
  a code for them); subject: the Patient; date: the onset; recordedDate: when the report was opened;
  recorder: who recorded the reaction (staff are not served as resources, so by display).
- seriousness: serious / non-serious (any Form FDA 3500 B2 criterion makes it serious); severity from the
  CTCAE grade (ivig.clinical.adverse_events); outcome in the adverse-event-outcome codes.
- suspectEntity: one per lot given (Medication id = inventory Lot pk), each with the WHO-UMC causality once
  assessed (author: the reviewer, once the review is complete). A flowsheet reaction with no lot scanned names
  the infusion's MedicationAdministration ("inf-<session pk>") instead.

Search: patient and subject (id or Patient/id), date (onset; FHIR prefixes eq ne gt lt ge le, YYYY-MM-DD or a
dateTime), lot (lot number; ours, see ivig.fhir.definitions), substance (Medication/<lot id> or
MedicationAdministration/inf-<id>), seriousness (serious | non-serious).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ivig import clock
from ivig.accounts.roles import VIEW_ADVERSE_EVENTS
from ivig.clinical.adverse_events import severity_for_grade
from ivig.fhir.codes import person
from ivig.fhir.registry import SearchError, Source, reference, register
from ivig.fhir.resources.medication_administration import INFUSION_PREFIX, infusion_reference
from ivig.fhir.search import (
    LOT_EXAMPLE,
    Param,
    by_date,
    by_reference,
    lot_numbers,
    parse_id,
    parse_token,
    token,
    values,
)
from ivig.hemovigilance.models import AdverseEventReport
from ivig.hemovigilance.register import with_related

Report = AdverseEventReport
TERMINOLOGY = "http://terminology.hl7.org/CodeSystem/"
SERIOUSNESS = TERMINOLOGY + "adverse-event-seriousness"
SEVERITY = TERMINOLOGY + "adverse-event-severity"
OUTCOME = TERMINOLOGY + "adverse-event-outcome"
CAUSALITY = TERMINOLOGY + "adverse-event-causality-assess"
OUTCOMES = {
    Report.Outcome.RECOVERED: ("resolved", "Resolved"),
    Report.Outcome.RECOVERING: ("recovering", "Recovering"),
    Report.Outcome.NOT_RECOVERED: ("ongoing", "Ongoing"),
    Report.Outcome.SEQUELAE: ("resolvedWithSequelae", "Resolved with Sequelae"),
    Report.Outcome.FATAL: ("fatal", "Fatal"),
    Report.Outcome.UNKNOWN: ("unknown", "Unknown"),
}
# WHO-UMC categories as the R4 adverse-event-causality-assess codes: the display with "-" for "/".
CAUSALITY_DISPLAYS = {
    Report.Causality.CERTAIN: "Certain",
    Report.Causality.PROBABLE: "Probably/Likely",
    Report.Causality.POSSIBLE: "Possible",
    Report.Causality.UNLIKELY: "Unlikely",
    Report.Causality.CONDITIONAL: "Conditional/Classified",
    Report.Causality.UNASSESSABLE: "Unassessable/Unclassifiable",
}
CAUSALITIES = {key: (display.replace("/", "-"), display) for key, display in CAUSALITY_DISPLAYS.items()}


def _concept(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _causality(report: Report) -> list[dict[str, Any]]:
    if not report.causality:
        return []
    code, display = CAUSALITIES[Report.Causality(report.causality)]
    causality: dict[str, Any] = {
        "assessment": _concept(CAUSALITY, code, display),
        "method": {"text": "WHO-UMC system for standardised case causality assessment"},
    }
    if report.reviewed_by is not None:
        causality["author"] = person(report.reviewed_by)
    return [causality]


def _suspects(report: Report) -> list[dict[str, Any]]:
    causality = _causality(report)
    instances = [reference("Medication", lot.pk) | {"display": str(lot)} for lot in report.lots.all()]
    if not instances and report.flowsheet_event is not None:
        instances = [infusion_reference(report.flowsheet_event.session_id)]
    return [
        {"instance": instance} | ({"causality": causality} if causality else {}) for instance in instances
    ]


def to_fhir(report: Report) -> dict[str, Any]:
    seriousness = ("serious", "Serious") if report.serious else ("non-serious", "Non-serious")
    severity = severity_for_grade(report.grade).value
    resource: dict[str, Any] = {
        "resourceType": "AdverseEvent",
        "id": str(report.pk),
        "actuality": "actual",
        "event": {"text": report.description},
        "subject": reference("Patient", report.patient_id),
        "date": report.onset_at.isoformat(),
        "recordedDate": report.recorded_at.isoformat(),
        "recorder": person(report.recorded_by),
        "seriousness": _concept(SERIOUSNESS, *seriousness),
        "severity": _concept(SEVERITY, severity, severity.capitalize()),
        "outcome": _concept(OUTCOME, *OUTCOMES[Report.Outcome(report.outcome)]),
    }
    suspects = _suspects(report)
    if suspects:
        resource["suspectEntity"] = suspects
    return resource


def bundle(reports: Any) -> dict[str, Any]:
    """A Bundle of type collection holding the reports as AdverseEvent resources."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": clock.now().isoformat(),
        # No fullUrl: it must be absolute, and the FHIR API's base is not known here.
        "entry": [{"resource": to_fhir(report)} for report in reports],
    }


# Search ------------------------------------------------------------------------------------------------

# R4 AdverseEvent-substance: Reference(Substance | Medication | MedicationAdministration |
# MedicationStatement | Device); we serve Medication (a lot) and MedicationAdministration (an infusion).
SUBSTANCE_TYPES = ("Medication", "MedicationAdministration", "Substance", "MedicationStatement", "Device")


def _by_lot(reports: QuerySet[Any], value: str) -> QuerySet[Any]:
    numbers = lot_numbers(value)
    return reports.filter(pk__in=Report.objects.filter(lots__lot_number__in=numbers).values("pk"))


def _substance_condition(part: str) -> Q:
    """The reports naming one suspect: a lot (Medication/<lot pk>) or an infusion (MedicationAdministration/
    inf-<session pk>, named when no lot was scanned). A bare id is read by its form."""
    named = part.rsplit("/", 2)[-2] if part.count("/") else None
    if named is None:
        named = "MedicationAdministration" if part.startswith(f"{INFUSION_PREFIX}-") else "Medication"
    if named not in SUBSTANCE_TYPES:
        usage = "use Medication/<id> or MedicationAdministration/inf-<id>"
        raise SearchError(
            f"substance {part!r} is not a Medication or MedicationAdministration reference: {usage}"
        )
    if named == "Medication":
        return Q(pk__in=Report.objects.filter(lots__pk=parse_id(part, "Medication")).values("pk"))
    if named == "MedicationAdministration":
        session = parse_id(part, named, id_prefix=INFUSION_PREFIX)
        return Q(lots__isnull=True, flowsheet_event__session_id=session)
    return Q(pk__in=[])  # a Substance, MedicationStatement or Device: we serve none


def _by_substance(reports: QuerySet[Any], value: str) -> QuerySet[Any]:
    wanted = Q(pk__in=[])
    for part in values(value):
        wanted |= _substance_condition(part)
    return reports.filter(pk__in=Report.objects.filter(wanted).values("pk"))


def _by_seriousness(reports: QuerySet[Any], value: str) -> QuerySet[Any]:
    codes = {parse_token(part) for part in values(value)}
    for system, code in codes:
        if code not in ("serious", "non-serious") or system not in (None, SERIOUSNESS):
            raise SearchError(f"seriousness {value!r} is not serious or non-serious")
    return reports.filter(serious__in={code == "serious" for _system, code in codes})


SOURCE = Source(
    resource_type="AdverseEvent",
    model=Report,
    to_fhir=to_fhir,
    patient_path="patient",
    permission=VIEW_ADVERSE_EVENTS,
    id_prefix="",
    search={
        "patient": by_reference("patient"),
        "subject": by_reference("patient", unserved=("Group", "Practitioner", "RelatedPerson")),
        "date": by_date("onset_at"),
        "lot": token(_by_lot, example=LOT_EXAMPLE),
        "substance": Param("reference", _by_substance, targets=SUBSTANCE_TYPES),
        "seriousness": token(_by_seriousness, example="serious"),
    },
    queryset=lambda: with_related(Report.objects.order_by("pk")),
)
register(SOURCE)
