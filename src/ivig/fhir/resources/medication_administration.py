"""MedicationAdministration: one per infusion session ("inf-<pk>") and one per pump rate segment ("seg-<pk>").

A segment is partOf its infusion. The medication is the Medication of a lot given (Medication id = inventory
Lot pk): the lots scanned at the bedside, or, when none was scanned, the lots dispensed for the order. FHIR
allows one medication per administration, so it names the first lot and lists every lot in
``supportingInformation`` (Medication references) and in a note. Performer: the nurse; verifier: the
pharmacist who verified the order (the flowsheet records no second check of the vials). Sessions that never
started are not administrations; a session sent back before starting is one with status not-done.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet

from ivig.accounts.roles import VIEW_INFUSION
from ivig.fhir import search
from ivig.fhir.codes import PERFORM_FUNCTION, coding, person, quantity
from ivig.fhir.registry import SearchFilter, Source, reference, register
from ivig.infusions.models import InfusionSession, RateSegment, VialScan
from ivig.orders.models import DispensedLot

Status = InfusionSession.Status
INFUSION_PREFIX = "inf"
SEGMENT_PREFIX = "seg"
TENTHS = Decimal("0.1")
# An infusion is served once it started, or when it was sent back (an administration not done).
SERVED = Q(started_at__isnull=False) | Q(status=Status.SENT_BACK)


def is_served(session: InfusionSession) -> bool:
    """Whether the session is a MedicationAdministration (so others may reference it)."""
    return session.started_at is not None or session.status == Status.SENT_BACK


def infusion_reference(session_id: int) -> dict[str, str]:
    return reference("MedicationAdministration", session_id, id_prefix=INFUSION_PREFIX)


def lots_given(session: InfusionSession) -> list[tuple[Any, int]]:
    """(lot, vials) in the order first scanned; the order's dispensed lots when nothing was scanned."""
    counts: dict[int, list[Any]] = {}
    for scan in session.scans.all():
        if scan.accepted and scan.lot is not None:
            counts.setdefault(scan.lot.pk, [scan.lot, 0])[1] += 1
    if not counts:
        for dispensed in session.order.dispensed_lots.all():
            counts.setdefault(dispensed.lot_id, [dispensed.lot, 0])[1] += dispensed.quantity_vials
    return [(lot, vials) for lot, vials in counts.values()]


def _lot_text(lot: Any, vials: int) -> str:
    return f"{lot.lot_number} ({lot.product.product_name} {lot.vial_size_g:g} g, {vials} vial(s))"


def _medication(session: InfusionSession) -> dict[str, Any]:
    lots = lots_given(session)
    if not lots:
        product = session.order.product_for_plan or "immunoglobulin"
        return {"medicationCodeableConcept": {"text": product}}
    return {
        "medicationReference": reference("Medication", lots[0][0].pk),
        "supportingInformation": [reference("Medication", lot.pk) for lot, _vials in lots],
        "note": [{"text": "Lots: " + "; ".join(_lot_text(lot, vials) for lot, vials in lots)}],
    }


def _performers(nurses: list[Any], verifier: Any) -> list[dict[str, Any]]:
    function = {"coding": [coding(PERFORM_FUNCTION, "performer", "Performer")]}
    found = [{"function": function, "actor": person(nurse)} for nurse in dict.fromkeys(nurses) if nurse]
    if verifier is not None:
        verify = {"coding": [coding(PERFORM_FUNCTION, "verifier", "Verifier")]}
        found.append({"function": verify, "actor": person(verifier)})
    return found


def _route(session: InfusionSession) -> dict[str, str]:
    return {"text": session.order.get_route_display()}


def _session_status(session: InfusionSession) -> tuple[str, str]:
    """FHIR status and its reason text."""
    if session.status == Status.SENT_BACK:
        status = "stopped" if session.started_at else "not-done"
        return status, session.sent_back_reason
    if session.status == Status.RUNNING:
        return "in-progress", ""
    if session.status == Status.PAUSED:
        return "on-hold", ""
    # Ended or completed: stopped early when the nurse gave a reason for ending.
    return ("stopped", session.end_reason) if session.end_reason else ("completed", "")


def infusion_to_fhir(session: InfusionSession) -> dict[str, Any]:
    status, why = _session_status(session)
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": f"{INFUSION_PREFIX}-{session.pk}",
        "status": status,
        "subject": reference("Patient", session.patient_id),
        "request": reference("MedicationRequest", session.order_id),
        **_medication(session),
    }
    if why:
        resource["statusReason"] = [{"text": why}]
    if session.started_at is None:
        resource["effectiveDateTime"] = (session.sent_back_at or session.created_at).isoformat()
    else:
        period = {"start": session.started_at.isoformat()}
        if session.ended_at is not None:
            period["end"] = session.ended_at.isoformat()
        resource["effectivePeriod"] = period
        resource["performer"] = _performers([session.started_by, session.ended_by], session.order.verified_by)
    if session.volume_given_ml is not None:
        resource["dosage"] = {
            "text": f"Day {session.day_number}: {session.volume_given_ml:g} mL given "
            f"of {session.volume_planned_ml:g} mL planned",
            "route": _route(session),
            "dose": quantity(session.volume_given_ml, "mL", "mL"),
        }
    return resource


def segment_volume_ml(segment: RateSegment) -> Decimal | None:
    """Rate x time, when the segment has ended."""
    if segment.ended_at is None:
        return None
    hours = Decimal((segment.ended_at - segment.started_at).total_seconds()) / Decimal(3600)
    return (segment.rate_ml_per_h * hours).quantize(TENTHS, ROUND_HALF_UP)


def segment_to_fhir(segment: RateSegment) -> dict[str, Any]:
    session = segment.session
    if segment.ended_at is not None:
        status = "completed"
    else:
        status = "on-hold" if segment.rate_ml_per_h == 0 else "in-progress"
    period = {"start": segment.started_at.isoformat()}
    if segment.ended_at is not None:
        period["end"] = segment.ended_at.isoformat()
    dosage: dict[str, Any] = {
        "text": f"{segment.get_kind_display()}: {segment.rate_ml_per_h:g} mL/h",
        "route": _route(session),
        "rateQuantity": quantity(segment.rate_ml_per_h, "mL/h", "mL/h"),
    }
    volume = segment_volume_ml(segment)
    if volume is not None:
        dosage["dose"] = quantity(volume, "mL", "mL")
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": f"{SEGMENT_PREFIX}-{segment.pk}",
        "partOf": [infusion_reference(session.pk)],
        "status": status,
        "subject": reference("Patient", session.patient_id),
        "request": reference("MedicationRequest", session.order_id),
        "effectivePeriod": period,
        "performer": _performers([segment.recorded_by], session.order.verified_by),
        "dosage": dosage,
        **_medication(session),
    }
    if segment.reason:
        resource["note"] = [*resource.get("note", []), {"text": segment.reason}]
        if segment.kind == RateSegment.Kind.PAUSE:
            resource["statusReason"] = [{"text": segment.reason}]
    return resource


def _lot_prefetches(prefix: str) -> list[Prefetch[Any]]:
    return [
        Prefetch(f"{prefix}scans", queryset=VialScan.objects.select_related("lot__product")),
        Prefetch(
            f"{prefix}order__dispensed_lots",
            queryset=DispensedLot.objects.select_related("lot__product").order_by("pk"),
        ),
    ]


def infusions() -> QuerySet[InfusionSession]:
    return (
        InfusionSession.objects.filter(SERVED)
        .select_related("order__verified_by", "started_by", "ended_by")
        .prefetch_related(*_lot_prefetches(""))
        .order_by("pk")
    )


def segments() -> QuerySet[RateSegment]:
    return (
        RateSegment.objects.select_related("session__order__verified_by", "recorded_by")
        .prefetch_related(*_lot_prefetches("session__"))
        .order_by("pk")
    )


def by_lot(session_path: str) -> search.Param:
    """Administrations that gave a lot, by lot number (exactly, as printed), as ``lots_given`` sees them."""
    outer = f"{session_path}__pk" if session_path else "pk"
    order = f"{session_path}__order_id" if session_path else "order_id"

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        numbers = search.lot_numbers(value)
        scanned = VialScan.objects.filter(session_id=OuterRef(outer), accepted=True)
        dispensed = DispensedLot.objects.filter(order_id=OuterRef(order), lot__lot_number__in=numbers)
        return queryset.filter(
            Exists(scanned.filter(lot__lot_number__in=numbers)) | (~Exists(scanned) & Exists(dispensed))
        )

    return search.token(apply, example=search.LOT_EXAMPLE)


def _searches(session_path: str) -> dict[str, SearchFilter]:
    prefix = f"{session_path}__" if session_path else ""
    when = search.by_date("started_at")
    return {
        "patient": search.by_reference(f"{prefix}patient"),
        "subject": search.by_reference(f"{prefix}patient", unserved=("Group",)),
        "date": when,  # ours, as effective-time (ivig.fhir.definitions)
        "effective-time": when,
        "lot": by_lot(session_path),  # ours (ivig.fhir.definitions)
        "request": search.by_reference(f"{prefix}order", "MedicationRequest"),
    }


def _source(model: type[Model], to_fhir: Any, id_prefix: str, queryset: Any, session_path: str) -> Source:
    """A MedicationAdministration source: a whole infusion, or one rate segment of it (by its session)."""
    prefix = f"{session_path}__" if session_path else ""
    return Source(
        resource_type="MedicationAdministration",
        model=model,
        to_fhir=to_fhir,
        patient_path=f"{prefix}patient",
        permission=VIEW_INFUSION,
        id_prefix=id_prefix,
        search=_searches(session_path),
        queryset=queryset,
    )


register(
    _source(InfusionSession, infusion_to_fhir, INFUSION_PREFIX, infusions, ""),
    _source(RateSegment, segment_to_fhir, SEGMENT_PREFIX, segments, "session"),
)
