"""Write orders: drafts, signing, new versions, approval decisions, cancelling.

Each function is one transaction and leaves an audit event. Pharmacy steps live in `pharmacy.py`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ivig import clock
from ivig.audit.events import record
from ivig.lib.refusals import ActionRefused
from ivig.orders import notify
from ivig.orders.deferrals import record_deferral
from ivig.orders.findings import cautions, reason_problems, stop_problems
from ivig.orders.models import Authorisation, IndicationCriteria, TherapyOrder
from ivig.orders.planning import OrderInput, PlanOutcome, compute_plan
from ivig.orders.sent_back import latest_send_back
from ivig.orders.supply_gate import SupplyGate, gate_for
from ivig.patients.actions import record_measurement
from ivig.patients.models import LabResult, Patient
from ivig.siteconfig.shortage import Decision

if TYPE_CHECKING:
    from ivig.accounts.models import User
    from ivig.clinical import InfusionPlan

# The fields a prescriber writes; a new version copies them.
ORDER_FIELDS = (
    "regimen",
    "route",
    "product_slug",
    "dose_g_per_kg",
    "sc_dose_g",
    "days",
    "repeat_interval_weeks",
    "cycles",
    "review_date",
    "weight_kg",
    "height_cm",
    "weight_basis",
    "weight_basis_reason",
    "caution_reasons",
    "max_rate_mg_per_kg_per_min",
    "accept_rounded_dose",
    "pre_pregnancy_weight_kg",
    "screening",
    "labs",
    "premedication",
    "justification",
)


# Signed but not yet dispensed, or refused (a new version asks again): a change is a new version.
REVISABLE = (
    TherapyOrder.Status.AWAITING_APPROVAL,
    TherapyOrder.Status.SIGNED,
    TherapyOrder.Status.VERIFIED,
    TherapyOrder.Status.REFUSED,
)


def can_revise(order: TherapyOrder) -> bool:
    """Revisable by status, or dispensed but sent back from the bedside (the new version replaces it)."""
    return order.status in REVISABLE or latest_send_back(order) is not None


class OrderError(ActionRefused):
    """An order step was refused; the message says why, in words for the person at the screen."""


class OrderWaits(OrderError):
    """Signing was refused because the declared shortage phase asks the order's category to wait."""

    def __init__(self, message: str, gate: SupplyGate) -> None:
        super().__init__(message)
        self.gate = gate


class OverlapError(OrderError):
    """Signing would leave two active orders for the patient; the prescriber must acknowledge it first."""


# Orders still to be given or being given. Any of them runs into the days a new order starts on (today), so a
# second one may double the patient's dose unless it is meant (a different course planned on purpose).
ACTIVE = (
    TherapyOrder.Status.AWAITING_APPROVAL,
    TherapyOrder.Status.SIGNED,
    TherapyOrder.Status.VERIFIED,
    TherapyOrder.Status.DISPENSED,
    TherapyOrder.Status.IN_PROGRESS,
)


def overlapping_orders(patient: Patient, order: TherapyOrder | None = None) -> list[TherapyOrder]:
    """The patient's other active orders; versions of `order` itself do not count (signing replaces them)."""
    others = TherapyOrder.objects.filter(patient=patient, status__in=ACTIVE)
    if order is not None and order.pk is not None:
        root = order.series_id or order.pk
        others = others.exclude(pk=root).exclude(series_id=root).exclude(pk=order.pk)
    return list(others.order_by("signed_at", "pk"))


def _overlap_summary(order: TherapyOrder) -> dict[str, Any]:
    signed = timezone.localdate(order.signed_at) if order.signed_at else None
    return {
        "id": order.pk,
        "reference": order.reference,
        "status": order.status,
        "signed_on": signed.isoformat() if signed else None,
        "regimen": order.regimen,
    }


def _snapshot(order: TherapyOrder) -> dict[str, Any]:
    return {name: getattr(order, name) for name in ORDER_FIELDS} | {"status": order.status}


def lock_order(order: TherapyOrder) -> TherapyOrder:
    """Re-read the order under a row lock, so two people cannot move it at once."""
    return TherapyOrder.objects.select_for_update().select_related("patient").get(pk=order.pk)


def log_event(action: str, by: User, order: TherapyOrder, summary: str, **extra: Any) -> None:
    record(
        action=f"order.{action}",
        by=by,
        target=order,
        patient=order.patient,
        summary=f"{order.reference}: {summary}",
        **extra,
    )


@transaction.atomic
def save_draft(
    *, by: User, patient: Patient, fields: dict[str, Any], order: TherapyOrder | None = None
) -> TherapyOrder:
    """Create a draft, or change one that nobody has signed yet."""
    if order is None:
        order = TherapyOrder(patient=patient, created_by=by)
        before: dict[str, Any] = {}
    else:
        order = lock_order(order)
        if not order.is_editable():
            raise OrderError(
                f"{order.reference} is {order.get_status_display().lower()}: make a new version."
            )
        before = _snapshot(order)
    for name in ORDER_FIELDS:
        if name in fields:
            setattr(order, name, fields[name])
    order.full_clean(exclude=["series", "previous", "created_by"])
    order.save()
    log_event("draft_save", by, order, "draft saved", before=before, after=_snapshot(order))
    return order


@transaction.atomic
def revise_order(*, by: User, order: TherapyOrder) -> TherapyOrder:
    """Start a new version of a signed order; the old one stands until the new one is signed."""
    order = lock_order(order)
    if not can_revise(order):
        raise OrderError(f"{order.reference} is {order.get_status_display().lower()}: it cannot be changed.")
    newer = order.next_versions.exclude(status=TherapyOrder.Status.CANCELLED).first()
    if newer is not None:
        raise OrderError(f"{order.reference} already has a newer version: {newer.reference}.")
    draft = _copy(order, by, series_id=order.series_id or order.pk, previous=order, version=order.version + 1)
    log_event("revise", by, draft, f"new version of {order.reference}", after={"previous_id": order.pk})
    return draft


@transaction.atomic
def repeat_order(*, by: User, order: TherapyOrder) -> TherapyOrder:
    """Start a new order (the next course, or a renewal) as a draft copy of this one."""
    draft = _copy(order, by)
    log_event(
        "repeat", by, draft, f"new order copied from {order.reference}", after={"copied_from": order.pk}
    )
    return draft


def _copy(order: TherapyOrder, by: User, **links: Any) -> TherapyOrder:
    draft = TherapyOrder(
        patient=order.patient, created_by=by, **{name: getattr(order, name) for name in ORDER_FIELDS}, **links
    )
    draft.save()
    return draft


def plan_without_stop(outcome: PlanOutcome, no_plan: str, stopped: str) -> InfusionPlan:
    """The outcome's plan, or an OrderError: `no_plan` and why there is none, or `stopped` and each stop."""
    if outcome.plan is None:
        raise OrderError(f"{no_plan}: {outcome.error}")
    stops = stop_problems(outcome.plan)
    if stops:
        raise OrderError(f"{stopped}. " + " ".join(stops))
    return outcome.plan


def missing_baseline(order: TherapyOrder, criteria: IndicationCriteria | None, today: date) -> list[str]:
    """Name each required lab that is missing from the order or older than the criteria allow."""
    if criteria is None:
        return []
    labels = dict(LabResult.Kind.choices)
    oldest = today - timedelta(days=criteria.baseline_max_age_days)
    missing = []
    for kind in criteria.required_labs:
        entry = (order.labs or {}).get(kind) or {}
        taken = entry.get("taken_on")
        if entry.get("value") in (None, "") or not taken or date.fromisoformat(taken) < oldest:
            missing.append(f"{labels.get(kind, kind)} taken on or after {oldest:%Y-%m-%d}")
    return missing


def sign_order(
    *, by: User, order: TherapyOrder, today: date | None = None, overlap_acknowledged: bool = False
) -> TherapyOrder:
    """Sign a draft: the plan must compute with no stop, a real reason for each caution, the baseline labs
    present. The reasons are stored with the signed plan for the pharmacist to acknowledge. Another active
    order for the patient needs `overlap_acknowledged`; the acknowledgement is kept with the signed plan.

    Not atomic itself: when the shortage phase asks the order to wait, the signing transaction rolls back and
    the deferral is written in a transaction of its own, then `OrderWaits` is raised. Called inside a caller's
    transaction, the deferral commits or rolls back with the caller's (see `ivig.orders.deferrals`)."""
    try:
        return _sign(by=by, order=order, today=today, overlap_acknowledged=overlap_acknowledged)
    except OrderWaits as waits:
        record_deferral(by=by, order=order, gate=waits.gate, message=str(waits))
        raise


@transaction.atomic
def _sign(*, by: User, order: TherapyOrder, today: date | None, overlap_acknowledged: bool) -> TherapyOrder:
    today = today or clock.localdate()
    order = lock_order(order)
    if not order.is_editable():
        raise OrderError(f"{order.reference} is already {order.get_status_display().lower()}.")
    Patient.objects.select_for_update().filter(pk=order.patient_id).first()  # one signature at a time
    overlapping = overlapping_orders(order.patient, order)
    if overlapping and not overlap_acknowledged:
        names = ", ".join(f"{o.reference} ({o.get_status_display().lower()})" for o in overlapping)
        raise OverlapError(
            f"{order.patient.full_name} already has an active order: {names}. A second order for the same "
            "days may double the dose: cancel or change that order, or tick the box to confirm that both "
            "are meant."
        )
    outcome = compute_plan(OrderInput.from_order(order), today)
    plan = plan_without_stop(outcome, "The order cannot be signed", "The order cannot be signed")
    items = cautions(plan, order.caution_reasons or {})
    problems = reason_problems(items)
    if problems:
        raise OrderError("Give your reason for each caution before signing. " + " ".join(problems))
    criteria = IndicationCriteria.current(order.indication, today)
    missing = missing_baseline(order, criteria, today)
    if missing:
        raise OrderError("The criteria for this indication need " + "; ".join(missing) + ".")
    # The shortage gate (issue 20) comes after every other check: it adds approval or holds, never removes.
    gate = gate_for(order.indication)
    if gate.decision == Decision.WAIT:
        raise OrderWaits(f"The order cannot be signed. {gate.message}", gate)
    if gate.blocks_signing:  # black category: not prescribed, not a deferral
        raise OrderError(f"The order cannot be signed. {gate.message}")
    order.criteria = criteria
    order.approval_required = (
        bool(criteria and criteria.approval_required) or gate.decision == Decision.APPROVAL
    )
    order.status = (
        TherapyOrder.Status.AWAITING_APPROVAL if order.approval_required else TherapyOrder.Status.SIGNED
    )
    order.caution_reasons = {c.code: c.reason for c in items}
    order.signed_plan = plan.to_dict() | {
        "chosen_by_ranking": outcome.chosen_by_ranking,
        "cautions": [c.as_dict() for c in items],
        "overlap_acknowledged": [_overlap_summary(o) for o in overlapping],
        "supply_gate": gate.as_dict(),
    }
    order.prescriber, order.signed_at = by, clock.now()
    order.save()
    _record_measures(by, order, today)
    if order.previous_id is not None:
        _replace(by, order)
    if overlapping:
        refs = ", ".join(o.reference for o in overlapping)
        log_event(
            "overlap_acknowledged",
            by,
            order,
            f"signed alongside active order(s) {refs}, acknowledged by the prescriber",
            after={"overlapping": order.signed_plan["overlap_acknowledged"]},
        )
    log_event(
        "sign",
        by,
        order,
        f"signed ({order.get_status_display().lower()})",
        after={"status": order.status, "plan": order.signed_plan},
    )
    return order


def _replace(by: User, order: TherapyOrder) -> None:
    old = TherapyOrder.objects.select_for_update().select_related("patient").get(pk=order.previous_id or 0)
    if old.status == TherapyOrder.Status.REFUSED:
        return  # a refusal stays on record as it was
    if old.status not in TherapyOrder.OPEN and latest_send_back(old) is None:
        raise OrderError(f"{old.reference} is {old.get_status_display().lower()}: it cannot be replaced.")
    _cancel(by, old, f"replaced by {order.reference}")


def _record_measures(by: User, order: TherapyOrder, today: date) -> None:
    """Keep a weight and labs first entered on the order in the patient's chart as well."""
    patient = order.patient
    latest = patient.latest_weight()
    if latest is None or latest.weight_kg != order.weight_kg:
        at = timezone.make_aware(datetime.combine(today, time(12, 0)))
        record_measurement(by=by, patient=patient, measured_at=at, weight_kg=order.weight_kg, height_cm=None)
    for kind, entry in (order.labs or {}).items():
        if entry.get("value") in (None, "") or not entry.get("taken_on"):
            continue
        value, taken_on = Decimal(str(entry["value"])), date.fromisoformat(entry["taken_on"])
        if not patient.lab_results.filter(kind=kind, value=value, taken_on=taken_on).exists():
            LabResult.objects.create(
                patient=patient, kind=kind, value=value, taken_on=taken_on, recorded_by=by
            )


@transaction.atomic
def decide_authorisation(
    *,
    by: User,
    order: TherapyOrder,
    approved: bool,
    reason: str,
    valid_until: date | None = None,
    today: date | None = None,
) -> Authorisation:
    """Approve (until an end date) or refuse an order awaiting approval."""
    today = today or clock.localdate()
    order = lock_order(order)
    reason = reason.strip()
    if order.status != TherapyOrder.Status.AWAITING_APPROVAL:
        raise OrderError(f"{order.reference} is not awaiting approval.")
    if order.prescriber_id == getattr(by, "pk", None):
        raise OrderError("You signed this order: another approver must decide on it.")
    if not reason:
        raise OrderError("Give the reason for the decision.")
    if approved:
        longest = today + timedelta(days=order.criteria.approval_days if order.criteria else 182)
        valid_until = valid_until or longest
        if valid_until < today:
            raise OrderError("The authorisation end date is in the past.")
        if valid_until > longest:
            raise OrderError(f"The criteria allow an authorisation until {longest:%Y-%m-%d} at most.")
    decision = Authorisation.objects.create(
        order=order,
        approved=approved,
        reason=reason[:500],
        valid_until=valid_until if approved else None,
        decided_by=by,
        decided_at=clock.now(),
    )
    order.status = TherapyOrder.Status.SIGNED if approved else TherapyOrder.Status.REFUSED
    order.save(update_fields=["status", "updated_at"])
    verdict = f"approved until {valid_until:%Y-%m-%d}" if approved else "refused"
    log_event(
        "approve" if approved else "refuse",
        by,
        order,
        f"authorisation {verdict}: {reason}",
        after={"approved": approved, "valid_until": valid_until, "reason": reason},
    )
    notify.decided(order, approved, reason, by)
    return decision


def _cancel(by: User, order: TherapyOrder, reason: str) -> None:
    before = order.status
    order.status = TherapyOrder.Status.CANCELLED
    order.cancelled_by, order.cancelled_at, order.cancel_reason = by, clock.now(), reason[:300]
    order.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason", "updated_at"])
    log_event(
        "cancel", by, order, f"cancelled: {reason}", before={"status": before}, after={"reason": reason}
    )


@transaction.atomic
def cancel_order(*, by: User, order: TherapyOrder, reason: str) -> TherapyOrder:
    """Cancel an order nothing has been dispensed for."""
    order = lock_order(order)
    if order.status not in TherapyOrder.OPEN:
        raise OrderError(
            f"{order.reference} is {order.get_status_display().lower()}: it cannot be cancelled."
        )
    if not reason.strip():
        raise OrderError("Give a reason for cancelling.")
    _cancel(by, order, reason.strip())
    return order
