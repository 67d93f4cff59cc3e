"""MedicationRequest: one per TherapyOrder (id = its pk), one dosageInstruction per rate step of its plan."""

from __future__ import annotations

from typing import Any

from django.db.models import JSONField, QuerySet
from django.db.models.functions import Coalesce

from ivig.accounts.roles import VIEW_ORDER
from ivig.fhir.codes import ACTIVE_INGREDIENT, ROUTES, compact, instant, number, product_text, quantity
from ivig.fhir.registry import SearchError, SearchFilter, Source, reference, register
from ivig.fhir.search import LOT_EXAMPLE, by_date, by_lot, date_param, parse_token, token, values
from ivig.orders.models import INDICATION_CHOICES, DispensedLot, TherapyOrder

S = TherapyOrder.Status
STATUS: dict[str, str] = {
    S.DRAFT: "draft",
    S.AWAITING_APPROVAL: "on-hold",  # signed, waiting for the authorisation decision
    S.SIGNED: "active",
    S.VERIFIED: "active",
    S.DISPENSED: "active",
    S.IN_PROGRESS: "active",
    S.COMPLETED: "completed",
    S.REFUSED: "cancelled",
    S.CANCELLED: "cancelled",
}
INDICATIONS = dict(INDICATION_CHOICES)


def _person(user: Any) -> dict[str, str] | None:
    return None if user is None else {"display": user.get_full_name() or user.get_username()}


def _medication(order: TherapyOrder) -> dict[str, Any]:
    slug = order.product_for_plan
    if not slug:
        return {"text": f"{ACTIVE_INGREDIENT}: product chosen by the pharmacy"}
    return {"text": product_text(slug)}


def _dose_text(order: TherapyOrder) -> str:
    if order.route == TherapyOrder.Route.SC and order.sc_dose_g is not None:
        return f"{number(order.sc_dose_g)} g subcutaneously"
    if order.dose_g_per_kg is None:
        return ""
    days = f" over {order.days} days" if order.days else ""
    return f"{number(order.dose_g_per_kg)} g/kg{days}"


def dosage_instructions(order: TherapyOrder) -> list[dict[str, Any]]:
    """One instruction per rate step of each day of the order's plan (the verified plan, else the signed
    one); a draft, which has no plan yet, gets one instruction with the prescribed dose."""
    route = ROUTES.get(order.route)
    plan = order.fhir_plan if hasattr(order, "fhir_plan") else order.plan
    if not plan or not plan.get("days"):
        text = _dose_text(order) or "Dose not yet set"
        return [compact({"sequence": 1, "text": text, "route": route})]
    instructions: list[dict[str, Any]] = []

    def add(text: str, duration_min: Any = None, rate_ml_per_h: Any = None) -> None:
        """One instruction; a timed one (a rate step, a subcutaneous day) runs once for its duration."""
        timed = duration_min is not None
        once = (
            {"repeat": {"count": 1, "duration": number(duration_min), "durationUnit": "min"}}
            if timed
            else None
        )
        instructions.append(
            compact(
                {
                    "sequence": len(instructions) + 1,
                    "text": text,
                    "timing": once,
                    "route": route,
                    "doseAndRate": [{"rateQuantity": quantity(rate_ml_per_h, "mL/h")}] if timed else None,
                }
            )
        )

    for plan_day in plan["days"]:
        dose = f"day {plan_day['day']}: {number(plan_day['dose_g'])} g"
        steps = plan_day.get("steps") or []
        for index, step in enumerate(steps, start=1):
            add(
                f"{dose}, step {index} of {len(steps)}: "
                f"{number(step['rate_ml_per_h'])} mL/h from minute {number(step['start_min'])} "
                f"for {number(step['duration_min'])} min",
                step["duration_min"],
                step["rate_ml_per_h"],
            )
        sc = plan_day.get("sc")
        if not steps and sc:
            add(
                f"{dose} at {sc['sites']} sites, {number(sc['total_rate_ml_per_h'])} mL/h in all",
                sc["duration_min"],
                sc["total_rate_ml_per_h"],
            )
        if not steps and not sc:
            add(dose)
    return instructions


def to_fhir(order: TherapyOrder) -> dict[str, Any]:
    notes = [text for text in (order.premedication and f"Premedication: {order.premedication}",) if text]
    if order.status in (S.CANCELLED, S.REFUSED) and order.cancel_reason:
        notes.append(f"Cancelled: {order.cancel_reason}")
    indication = INDICATIONS.get(order.indication, order.indication)
    return compact(
        {
            "resourceType": "MedicationRequest",
            "id": str(order.pk),
            "identifier": [{"use": "official", "value": order.reference}],
            "status": STATUS.get(order.status, "unknown"),
            "statusReason": {"text": "Authorisation refused"} if order.status == S.REFUSED else None,
            "intent": "order",
            "medicationCodeableConcept": _medication(order),
            "subject": reference("Patient", order.patient_id),
            "authoredOn": instant(order.signed_at or order.created_at),
            "requester": _person(order.prescriber or order.created_by),
            "reasonCode": [{"text": indication}] if indication else None,
            "note": [{"text": text} for text in notes],
            "dosageInstruction": dosage_instructions(order),
            "priorPrescription": reference("MedicationRequest", order.previous_id)
            if order.previous_id
            else None,
        }
    )


# What to_fhir reads: loading only these (and one plan) keeps bulk export fast on wide order rows.
ORDER_FIELDS = (
    "patient_id",
    "series_id",
    "previous_id",
    "version",
    "status",
    "regimen",
    "route",
    "product_slug",
    "verified_product_slug",
    "dose_g_per_kg",
    "sc_dose_g",
    "days",
    "premedication",
    "cancel_reason",
    "created_at",
    "updated_at",
    "signed_at",
)
PERSON_FIELDS = ("username", "first_name", "last_name")


def orders() -> QuerySet[TherapyOrder]:
    people = [f"{who}__{name}" for who in ("prescriber", "created_by") for name in PERSON_FIELDS]
    return (
        TherapyOrder.objects.select_related("prescriber", "created_by")
        .only(*ORDER_FIELDS, *people)
        .annotate(fhir_plan=Coalesce("verified_plan", "signed_plan", output_field=JSONField()))
    )


def _authored(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    annotated = queryset.annotate(fhir_authored=Coalesce("signed_at", "created_at"))
    return by_date("fhir_authored")(annotated, value)


def _status(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    wanted = [parse_token(part)[1] for part in values(value)]  # a comma means "or"
    for part in wanted:
        if part not in set(STATUS.values()) | {"stopped", "entered-in-error", "unknown"}:
            known = ", ".join(sorted(set(STATUS.values())))
            raise SearchError(f"status {part!r} is not known: use one of {known}.")
    return queryset.filter(status__in=[status for status, fhir in STATUS.items() if fhir in wanted])


def _lot(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    dispensed = by_lot("lot__lot_number")(DispensedLot.objects.all(), value)
    return queryset.filter(pk__in=dispensed.values("order_id"))


# `date` in R4 is MedicationRequest.dosageInstruction.timing.event; our instructions carry no event times,
# so it searches the day the order was written, as authoredon does. `lot` is ours (ivig.fhir.definitions).
SEARCH: dict[str, SearchFilter] = {
    "date": date_param(_authored),
    "authoredon": date_param(_authored),
    "status": token(_status, example="active"),
    "lot": token(_lot, example=LOT_EXAMPLE),
}


register(
    Source(
        resource_type="MedicationRequest",
        model=TherapyOrder,
        to_fhir=to_fhir,
        patient_path="patient",
        permission=VIEW_ORDER,
        queryset=orders,
        search=SEARCH,
    )
)
