"""AdverseEvent (id = AdverseEventReport pk) from the hemovigilance adverse-event register.

- event: the reaction as text (no SNOMED code: the register keeps free-text descriptions, and we do not guess
  a code for them); subject: the Patient; date: the onset; recordedDate: when the report was opened;
  recorder: who recorded the reaction (staff are not served as resources, so by display).
- seriousness: serious / non-serious (any Form FDA 3500 B2 criterion makes it serious); severity from the
  CTCAE grade (ivig.clinical.adverse_events); outcome in the adverse-event-outcome codes.
- suspectEntity: one per lot given (Medication id = inventory Lot pk), each with the WHO-UMC causality once
  assessed (author: the reviewer, once the review is complete). A flowsheet reaction with no lot scanned names
  the infusion's MedicationAdministration ("inf-<session pk>") instead.

Search: patient (id or Patient/id), date (onset; FHIR prefixes eq ne gt lt ge le, YYYY-MM-DD or a dateTime),
lot (lot number), substance (Medication/id), seriousness (serious | non-serious).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ivig.accounts.roles import VIEW_ADVERSE_EVENTS
from ivig.clinical.adverse_events import severity_for_grade
from ivig.fhir.codes import person
from ivig.fhir.registry import SearchError, Source, reference, register
from ivig.fhir.resources.medication_administration import infusion_reference
from ivig.fhir.search import by_date, by_reference, parse_id, parse_lot
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
# WHO-UMC categories as the R4 adverse-event-causality-assess codes.
CAUSALITIES = {
    Report.Causality.CERTAIN: ("Certain", "Certain"),
    Report.Causality.PROBABLE: ("Probably-Likely", "Probably/Likely"),
    Report.Causality.POSSIBLE: ("Possible", "Possible"),
    Report.Causality.UNLIKELY: ("Unlikely", "Unlikely"),
    Report.Causality.CONDITIONAL: ("Conditional-Classified", "Conditional/Classified"),
    Report.Causality.UNASSESSABLE: ("Unassessable-Unclassifiable", "Unassessable/Unclassifiable"),
}


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
        "timestamp": timezone.now().isoformat(),
        # No fullUrl: it must be absolute, and the FHIR API's base is not known here.
        "entry": [{"resource": to_fhir(report)} for report in reports],
    }


# Search ------------------------------------------------------------------------------------------------


def _by_lot(reports: QuerySet[Any], value: str) -> QuerySet[Any]:
    number = parse_lot(value)
    return reports.filter(pk__in=Report.objects.filter(lots__lot_number=number).values("pk"))


def _by_substance(reports: QuerySet[Any], value: str) -> QuerySet[Any]:
    lot_pk = parse_id(value, "Medication")
    return reports.filter(pk__in=Report.objects.filter(lots__pk=lot_pk).values("pk"))


def _by_seriousness(reports: QuerySet[Any], value: str) -> QuerySet[Any]:
    code = value.strip().rsplit("|", 1)[-1]
    if code not in ("serious", "non-serious"):
        raise SearchError(f"seriousness {value!r} is not serious or non-serious")
    return reports.filter(serious=code == "serious")


SOURCE = Source(
    resource_type="AdverseEvent",
    model=Report,
    to_fhir=to_fhir,
    patient_path="patient",
    permission=VIEW_ADVERSE_EVENTS,
    id_prefix="",
    search={
        "patient": by_reference("patient"),
        "subject": by_reference("patient"),
        "date": by_date("onset_at"),
        "lot": _by_lot,
        "substance": _by_substance,
        "seriousness": _by_seriousness,
    },
    queryset=lambda: with_related(Report.objects.order_by("pk")),
)
register(SOURCE)
