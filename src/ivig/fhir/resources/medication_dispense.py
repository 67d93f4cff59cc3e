"""MedicationDispense: one per orders.DispensedLot (id = its pk), the vials of one lot handed over."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from ivig.accounts.roles import VIEW_ORDER
from ivig.fhir.codes import instant
from ivig.fhir.registry import Source, reference, register
from ivig.fhir.search import by_date, by_lot, by_reference
from ivig.orders.models import DispensedLot


def to_fhir(dispensed: DispensedLot) -> dict[str, Any]:
    movement = dispensed.movement
    handed_by = movement.recorded_by
    return {
        "resourceType": "MedicationDispense",
        "id": str(dispensed.pk),
        "status": "completed",
        "medicationReference": reference("Medication", dispensed.lot_id),
        "subject": reference("Patient", dispensed.fhir_patient_id),  # type: ignore[attr-defined]
        "performer": [{"actor": {"display": handed_by.get_full_name() or handed_by.get_username()}}],
        "authorizingPrescription": [reference("MedicationRequest", dispensed.order_id)],
        "quantity": {"value": dispensed.quantity_vials, "unit": "vial"},
        "whenHandedOver": instant(movement.recorded_at),
    }


register(
    Source(
        resource_type="MedicationDispense",
        model=DispensedLot,
        to_fhir=to_fhir,
        patient_path="order__patient",
        permission=VIEW_ORDER,
        queryset=lambda: (
            DispensedLot.objects.select_related("movement__recorded_by")
            .only(
                "lot_id",
                "order_id",
                "quantity_vials",
                "updated_at",
                "movement__recorded_at",
                *(f"movement__recorded_by__{name}" for name in ("username", "first_name", "last_name")),
            )
            .annotate(fhir_patient_id=F("order__patient_id"))
        ),
        search={
            "date": by_date("movement__recorded_at"),  # ours, as whenhandedover (ivig.fhir.definitions)
            "whenhandedover": by_date("movement__recorded_at"),
            "lot": by_lot("lot__lot_number"),  # ours (ivig.fhir.definitions)
            "prescription": by_reference("order", "MedicationRequest"),
            "medication": by_reference("lot", "Medication"),
        },
    )
)
