"""The patients a shortage phase affects: whose next dose the phase sends for approval, holds, or never gives.

A patient is on the list when an active order (or a recurring course that has come to the end of its last
order) is for an indication whose priority category the current phase does not let proceed. Three queries
whatever the number of patients: the categories and policy, the active orders with their next booked day,
and the last completed recurring order of each patient.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Min, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ivig.orders.actions import ACTIVE
from ivig.orders.models import TherapyOrder
from ivig.patients.models import Patient
from ivig.scheduling.models import Appointment
from ivig.siteconfig.shortage import Category, Decision, ShortagePolicy, current_categories


@dataclass(frozen=True)
class Option:
    label: str
    url: str


@dataclass
class AffectedRow:
    patient: Patient
    order: TherapyOrder
    indication: str
    category: str | None
    decision: str
    next_dose: date | None
    next_dose_note: str  # "booked", "projected from the last course", "not booked"
    grams: float | None
    options: list[Option] = field(default_factory=list)

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label) if self.category else "No category set"

    @property
    def decision_label(self) -> str:
        return str(Decision(self.decision).label)


def _grams(order: TherapyOrder) -> float | None:
    plan = order.plan or {}
    value = plan.get("dispensed_dose_g")
    return None if value is None else float(value)


def conservation_url(patient: Patient) -> str | None:
    """The conservation proposals page for the patient, when the conservation app is installed."""
    try:
        return reverse("conservation:patient", args=[patient.pk])
    except NoReverseMatch:
        return None


def _options(row: AffectedRow) -> list[Option]:
    options = [Option("Order", reverse("orders:detail", args=[row.order.pk]))]
    if row.order.status == TherapyOrder.Status.AWAITING_APPROVAL:
        options.append(Option("Decide on authorisation", reverse("orders:decide", args=[row.order.pk])))
    conservation = conservation_url(row.patient)
    if conservation:
        options.append(Option("Conservation options", conservation))
    options.append(Option("Patient", reverse("patients:detail", args=[row.patient.pk])))
    return options


def affected_patients(phase: str, today: date) -> list[AffectedRow]:
    """Each affected patient once (their soonest order), soonest next dose first; empty if none."""
    policy = ShortagePolicy.load()
    categories = {code: row.category for code, row in current_categories().items()}

    def decision_for(order: TherapyOrder) -> tuple[str, str | None]:
        category = categories.get(order.indication)
        return policy.decision(phase, category), category

    rows: dict[int, AffectedRow] = {}
    active = (
        TherapyOrder.objects.filter(status__in=ACTIVE)
        .select_related("patient")
        .annotate(
            next_booked=Min(
                "appointments__day",
                filter=Q(appointments__status=Appointment.Status.BOOKED, appointments__day__gte=today),
            )
        )
    )
    for order in active:
        decision, category = decision_for(order)
        if decision == Decision.PROCEED:
            continue
        booked = getattr(order, "next_booked", None)
        row = AffectedRow(
            patient=order.patient,
            order=order,
            indication=order.indication,
            category=category,
            decision=decision,
            next_dose=booked,
            next_dose_note="booked" if booked else "not booked",
            grams=_grams(order),
        )
        _keep_soonest(rows, row)
    with_active = {order.patient_id for order in active}
    recurring = (
        TherapyOrder.objects.filter(status=TherapyOrder.Status.COMPLETED, repeat_interval_weeks__isnull=False)
        .exclude(patient_id__in=with_active)
        .select_related("patient")
        .order_by("patient_id", "-dispensed_at", "-pk")
    )
    seen: set[int] = set()
    for last in recurring:
        if last.patient_id in seen or last.dispensed_at is None or not last.repeat_interval_weeks:
            continue
        seen.add(last.patient_id)
        decision, category = decision_for(last)
        if decision == Decision.PROCEED:
            continue
        due = timezone.localdate(last.dispensed_at) + timedelta(weeks=last.repeat_interval_weeks)
        row = AffectedRow(
            patient=last.patient,
            order=last,
            indication=last.indication,
            category=category,
            decision=decision,
            next_dose=due,
            next_dose_note="projected from the last course",
            grams=_grams(last),
        )
        _keep_soonest(rows, row)
    result = sorted(rows.values(), key=_soonest_first)
    for row in result:
        row.options = _options(row)
    return result


def _soonest_first(row: AffectedRow) -> tuple[Any, ...]:
    return (row.next_dose is None, row.next_dose or date.max, row.patient.family_name, row.patient.pk)


def _keep_soonest(rows: dict[int, AffectedRow], row: AffectedRow) -> None:
    current = rows.get(row.patient.pk)
    if current is None or _soonest_first(row) < _soonest_first(current):
        rows[row.patient.pk] = row
