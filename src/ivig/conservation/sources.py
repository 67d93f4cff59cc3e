"""Where proposals come from: the patient's current order, the clinical core's conservation measures for it,
and the grams each would use, from the same plans the order pages compute (so vial rounding counts).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from ivig.conservation.models import Kind
from ivig.orders.models import TherapyOrder
from ivig.orders.planning import OrderInput, compute_plan, product_name
from ivig.patients.models import Patient

# Orders a proposal may start from: signed and waiting, or given (the next course then copies it).
SOURCE_STATUSES = (
    TherapyOrder.Status.AWAITING_APPROVAL,
    TherapyOrder.Status.SIGNED,
    TherapyOrder.Status.VERIFIED,
    TherapyOrder.Status.DISPENSED,
    TherapyOrder.Status.IN_PROGRESS,
    TherapyOrder.Status.COMPLETED,
)
PERIOD_WEEKS = 4  # grams are compared per 4 weeks, the usual interval of a PI regimen (reference s5)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Candidate:
    """One measure for one order, in the order's own fields, with the grams it would use."""

    kind: str
    rationale: str
    current_g_per_4_weeks: Decimal
    proposed_g_per_4_weeks: Decimal
    source: str = ""
    route: str = ""
    product_slug: str = ""
    dose_g_per_kg: Decimal | None = None
    sc_dose_g: Decimal | None = None
    repeat_interval_weeks: int | None = None
    accept_rounded_dose: bool | None = None

    @property
    def grams_saved_per_4_weeks(self) -> Decimal:
        return (self.current_g_per_4_weeks - self.proposed_g_per_4_weeks).quantize(CENT)


def source_order(patient: Patient) -> TherapyOrder | None:
    """The order a proposal changes: the patient's latest signed or given order (not a replaced version)."""
    return (
        TherapyOrder.objects.filter(patient=patient, status__in=SOURCE_STATUSES)
        .select_related("patient")
        .order_by("-created_at", "-pk")
        .first()
    )


def course_grams(data: OrderInput, on: date) -> Decimal | None:
    """Grams of whole vials one course of the order uses, from its plan; None when it cannot be planned."""
    outcome = compute_plan(data, on)
    if outcome.plan is None:
        return None
    return Decimal(str(outcome.plan.dispensed_dose_g))


def per_period(course_g: Decimal, interval_weeks: int | None) -> Decimal:
    """A course's grams per 4 weeks; a one-off course (no interval) counts once."""
    if not interval_weeks:
        return course_g.quantize(CENT)
    return (course_g * PERIOD_WEEKS / interval_weeks).quantize(CENT)


def order_grams(order: TherapyOrder, on: date) -> Decimal:
    """Grams per 4 weeks the order uses as it stands (its verified plan when there is one)."""
    plan = order.plan or {}
    grams = plan.get("dispensed_dose_g")
    if grams is None:
        grams = course_grams(OrderInput.from_order(order, product_slug=order.product_for_plan), on) or 0
    return per_period(Decimal(str(grams)), order.repeat_interval_weeks)


def substitution(order: TherapyOrder, product_slug: str, on: date, why: str) -> Candidate:
    """A switch to another product: the grams it uses with that product's vials."""
    data = replace(OrderInput.from_order(order, product_slug=product_slug), product_slug=product_slug)
    grams = course_grams(data, on)
    current = order_grams(order, on)
    proposed = current if grams is None else per_period(grams, order.repeat_interval_weeks)
    old = product_name(order.product_for_plan) if order.product_for_plan else "the pharmacy's choice"
    return Candidate(
        kind=Kind.SUBSTITUTION,
        rationale=f"Switch from {old} to {product_name(product_slug)}: {why}",
        current_g_per_4_weeks=current,
        proposed_g_per_4_weeks=proposed,
        product_slug=product_slug,
        source="reference s15: national shortage plans (allocation per phase)",
    )


def candidates(order: TherapyOrder, on: date) -> list[Candidate]:
    """The clinical core's conservation measures for this order (ivig.clinical.supply.proposals)."""
    return []
