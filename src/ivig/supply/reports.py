"""The shortage reports: grams by priority category, grams saved by measure, doses deferred and what followed.

Grams are what was dispensed (the stock ledger through the orders' dispensed lots), in the period. The
category
is the indication's category now (a change of category re-labels the past; the category history is on the
shortage settings page). A dose is "deferred" when the shortage gate held its draft back (the phase asked it
to wait: recorded as an OrderDeferral), or sent its order for approval and it was refused or is still waiting;
what happened next is the draft's signature or cancellation, or the order's later version.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import F, Sum
from django.utils import timezone

from ivig.clinical.regimens import all_regimens
from ivig.orders.models import DispensedLot, OrderDeferral, TherapyOrder
from ivig.siteconfig.shortage import Category, Decision, current_categories

NO_CATEGORY = "none"


@dataclass(frozen=True)
class CategoryGrams:
    category: str
    label: str
    grams: float
    share_pct: float


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def grams_by_category(start: date, end: date) -> list[CategoryGrams]:
    """Grams dispensed from `start` to `end` (inclusive) by the indication's priority category. One query."""
    categories = {code: row.category for code, row in current_categories().items()}
    regimens = all_regimens()
    rows = (
        DispensedLot.objects.filter(
            movement__recorded_at__gte=_aware(start),
            movement__recorded_at__lt=_aware(end) + timedelta(days=1),
        )
        .values("order__regimen")
        .annotate(grams_total=Sum(F("quantity_vials") * F("lot__product__vial_size_g")))
    )
    totals: dict[str, float] = defaultdict(float)
    for row in rows:
        regimen = regimens.get(row["order__regimen"])
        indication = str(regimen.indication) if regimen else ""
        totals[categories.get(indication, NO_CATEGORY)] += float(row["grams_total"] or Decimal(0))
    whole = sum(totals.values())
    labels = dict(Category.choices) | {NO_CATEGORY: "No category set"}
    order = [*Category.values, NO_CATEGORY]
    return [
        CategoryGrams(
            category=key,
            label=str(labels[key]),
            grams=round(totals.get(key, 0.0), 1),
            share_pct=round(100 * totals.get(key, 0.0) / whole, 1) if whole else 0.0,
        )
        for key in order
    ]


@dataclass(frozen=True)
class Deferral:
    order: TherapyOrder
    kind: str  # WAITED: not signed in the phase; APPROVAL: signed, sent for approval
    deferred_on: date
    phase: str
    category: str | None
    outcome: str  # what happened to the dose
    group: str  # the outcome without the order references, for the counts
    next_version: TherapyOrder | None


WAITED = "waited"
APPROVAL = "approval"


def deferred_doses(start: date, end: date) -> list[Deferral]:
    """Every dose the shortage gate held back in the period, with what happened next. Drafts that had to wait
    (one row per draft, at its first deferral in the period): still waiting, signed later, or cancelled.
    Orders signed in the period that the gate sent for approval and were refused or still wait: the later
    version, if any. Three queries."""
    since, until = _aware(start), _aware(end) + timedelta(days=1)
    waits: dict[int, OrderDeferral] = {}
    for deferral in (
        OrderDeferral.objects.filter(deferred_at__gte=since, deferred_at__lt=until)
        .select_related("order__patient")
        .order_by("deferred_at", "pk")
    ):
        waits.setdefault(deferral.order_id, deferral)
    gated = [
        order
        for order in TherapyOrder.objects.filter(
            signed_at__gte=since,
            signed_at__lt=until,
            signed_plan__supply_gate__decision=Decision.APPROVAL.value,
            status__in=(TherapyOrder.Status.REFUSED, TherapyOrder.Status.AWAITING_APPROVAL),
        )
        .select_related("patient")
        .order_by("signed_at", "pk")
        if order.pk not in waits  # a draft that waited, then was signed for approval: one dose, one row
    ]
    later: dict[int, TherapyOrder] = {}
    previous_ids = [*waits, *(order.pk for order in gated)]
    for version in TherapyOrder.objects.filter(previous_id__in=previous_ids).order_by("version", "pk"):
        later.setdefault(version.previous_id or 0, version)
    result = [_waited(deferral, later.get(deferral.order_id)) for deferral in waits.values()]
    for order in gated:
        gate = (order.signed_plan or {}).get("supply_gate") or {}
        after = later.get(order.pk)
        outcome, group = _approval_outcome(order, after)
        result.append(
            Deferral(
                order=order,
                kind=APPROVAL,
                deferred_on=timezone.localdate(order.signed_at) if order.signed_at else start,
                phase=str(gate.get("phase", "")),
                category=gate.get("category"),
                outcome=outcome,
                group=group,
                next_version=after,
            )
        )
    return sorted(result, key=lambda item: (item.deferred_on, item.order.pk))


def _waited(deferral: OrderDeferral, after: TherapyOrder | None) -> Deferral:
    order = deferral.order
    status = order.get_status_display().lower()
    if order.status == TherapyOrder.Status.DRAFT:
        outcome = group = "waited; still waiting (draft not signed)"
    elif order.signed_at is None:
        outcome = group = "waited; draft cancelled"
    else:
        group = "waited; signed later"
        outcome = f"{group}, {timezone.localdate(order.signed_at):%Y-%m-%d} (now {status})"
        if after is not None:
            outcome += f"; then {after.reference} ({after.get_status_display().lower()})"
    return Deferral(
        order=order,
        kind=WAITED,
        deferred_on=timezone.localdate(deferral.deferred_at),
        phase=deferral.phase,
        category=deferral.category or None,
        outcome=outcome,
        group=group,
        next_version=after,
    )


def _approval_outcome(order: TherapyOrder, after: TherapyOrder | None) -> tuple[str, str]:
    if order.status == TherapyOrder.Status.AWAITING_APPROVAL:
        return "still awaiting approval", "still awaiting approval"
    if after is None:
        return "refused; no new order yet", "refused; no new order yet"
    status = after.get_status_display().lower()
    return f"refused; then {after.reference} ({status})", "refused; a new version followed"


def deferral_summary(deferrals: list[Deferral]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for item in deferrals:
        counts[item.group] += 1
    return dict(counts)
