"""Appointment, Schedule and Slot from the infusion centre's bookings.

- Appointment (id = appointment pk): the patient, the nurse and the chair (people and chairs are not served
  as resources, so they are named by display with a type); the order as supportingInformation. With a
  handover at a shift change, both nurses, each with the period she watches (they overlap at the handover).
- Schedule (id = chair pk): one per chair, its actor the chair (a Location by display).
- Slot (id = appointment pk): the chair time an appointment holds, status busy, in the chair's Schedule.
  Only appointments that hold a chair make one (booked, arrived, started or completed, not a home visit);
  we keep no free slots (the day is planned by the optimiser, not from a slot grid).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ivig.accounts.roles import VIEW_APPOINTMENT
from ivig.fhir import search
from ivig.fhir.codes import person
from ivig.fhir.registry import SearchError, Source, reference, register
from ivig.scheduling.models import Appointment, Chair

Status = Appointment.Status
STATUS = {
    Status.BOOKED: "booked",
    Status.ARRIVED: "arrived",
    Status.STARTED: "checked-in",  # FHIR has no "in progress"; the infusion itself is the administration
    Status.COMPLETED: "fulfilled",
    Status.CANCELLED: "cancelled",
    Status.NO_SHOW: "noshow",
}
HOLDS_A_CHAIR = Q(status__in=Appointment.ACTIVE, chair__isnull=False)


def holds_a_chair(appointment: Appointment) -> bool:
    return appointment.status in Appointment.ACTIVE and appointment.chair_id is not None


def _chair(chair: Chair) -> dict[str, str]:
    return {"type": "Location", "display": chair.name}


def _participant(actor: dict[str, str], required: str = "required") -> dict[str, Any]:
    return {"actor": actor, "required": required, "status": "accepted"}


def appointment_to_fhir(a: Appointment) -> dict[str, Any]:
    where = "home visit" if a.home_visit else f"chair {a.chair.name}" if a.chair else ""
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(a.pk),
        "status": STATUS[Status(a.status)],
        "description": f"Immunoglobulin infusion, day {a.course_day} of order {a.order.reference}, {where}",
        "start": a.start.isoformat(),
        "end": a.end.isoformat(),
        "minutesDuration": a.duration_min,
        "created": a.booked_at.isoformat(),
        "supportingInformation": [reference("MedicationRequest", a.order_id)],
        "participant": [
            _participant(reference("Patient", a.patient_id)),
            _participant(person(a.nurse)),
        ],
    }
    if a.handover_nurse is not None and a.handover_start is not None and a.handover_end is not None:
        resource["participant"][1]["period"] = {
            "start": a.start.isoformat(),
            "end": a.handover_end.isoformat(),
        }
        second = _participant(person(a.handover_nurse))
        second["period"] = {"start": a.handover_start.isoformat(), "end": a.end.isoformat()}
        resource["participant"].append(second)
    if a.chair is not None:
        resource["participant"].append(_participant(_chair(a.chair)))
    if holds_a_chair(a):
        resource["slot"] = [reference("Slot", a.pk)]
    if a.status == Status.CANCELLED:
        resource["cancelationReason"] = {"text": a.cancel_reason}
    if a.needs:
        resource["comment"] = "Needs: " + ", ".join(a.needs)
    return resource


def schedule_to_fhir(chair: Chair) -> dict[str, Any]:
    features = ", ".join(chair.features) or "standard chair"
    return {
        "resourceType": "Schedule",
        "id": str(chair.pk),
        "active": chair.active,
        "serviceType": [{"text": "Immunoglobulin infusion"}],
        "actor": [_chair(chair)],
        "comment": f"{chair.name}: {features}",
    }


def slot_to_fhir(a: Appointment) -> dict[str, Any]:
    assert a.chair is not None
    return {
        "resourceType": "Slot",
        "id": str(a.pk),
        "schedule": reference("Schedule", a.chair_id),
        "status": "busy",
        "start": a.start.isoformat(),
        "end": a.end.isoformat(),
        "comment": f"{a.chair.name}, day {a.course_day} of {a.order.reference}",
    }


def appointments() -> QuerySet[Appointment]:
    return Appointment.objects.select_related("order", "chair", "nurse", "handover_nurse").order_by("pk")


def slots() -> QuerySet[Appointment]:
    return appointments().filter(HOLDS_A_CHAIR)


# R4 AppointmentStatus codes we never use: searching by them is valid and finds nothing.
UNUSED_STATUS = ("proposed", "pending", "entered-in-error", "waitlist")
# R4 Appointment-actor: Reference(Patient | Practitioner | PractitionerRole | RelatedPerson | Device |
# HealthcareService | Location). Only patients are served; the nurse and the chair are named by display.
ACTOR_UNSERVED = (
    "Practitioner",
    "PractitionerRole",
    "RelatedPerson",
    "Device",
    "HealthcareService",
    "Location",
)


def _by_status(mapping: dict[Any, str]) -> search.Param:
    known = tuple(dict.fromkeys(mapping.values()))

    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        wanted = [search.parse_token(part)[1] for part in search.values(value)]
        unknown = [part for part in wanted if part not in known + UNUSED_STATUS]
        if unknown:
            raise SearchError(f"status {unknown[0]!r} is not known: use one of {', '.join(known)}")
        return queryset.filter(status__in=[ours for ours, theirs in mapping.items() if theirs in wanted])

    return search.token(apply, example=known[0])


def _by_slot(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    """Appointments holding a Slot (Slot id = appointment pk, only for those holding a chair)."""
    return search.by_reference("", "Slot")(queryset, value).filter(HOLDS_A_CHAIR)


register(
    Source(
        resource_type="Appointment",
        model=Appointment,
        to_fhir=appointment_to_fhir,
        patient_path="patient",
        permission=VIEW_APPOINTMENT,
        search={
            "patient": search.by_reference("patient"),
            "actor": search.by_reference("patient", unserved=ACTOR_UNSERVED),
            "date": search.by_date("start"),
            "status": _by_status(STATUS),
            "slot": search.Param("reference", _by_slot, targets=("Slot",)),
        },
        queryset=appointments,
    ),
    Source(
        resource_type="Schedule",
        model=Chair,
        to_fhir=schedule_to_fhir,
        patient_path=None,
        permission=VIEW_APPOINTMENT,
        search={"active": search.boolean("active")},
        queryset=lambda: Chair.objects.order_by("pk"),
    ),
    Source(
        resource_type="Slot",
        model=Appointment,
        to_fhir=slot_to_fhir,
        patient_path="patient",
        permission=VIEW_APPOINTMENT,
        search={
            "schedule": search.by_reference("chair", "Schedule"),
            "start": search.by_date("start"),
            "date": search.by_date("start"),  # ours: R4 Slot has only `start` (ivig.fhir.definitions)
        },
        queryset=slots,
    ),
)
