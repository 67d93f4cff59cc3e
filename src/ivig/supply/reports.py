"""The shortage reports: grams by priority category, grams saved by measure, doses deferred and what followed.

Grams are what was dispensed (the stock ledger through the orders' dispensed lots), in the period. The
category
is the indication's category now (a change of category re-labels the past; the category history is on the
shortage settings page). A dose is "deferred" when the shortage gate sent its order for approval and it was
refused or is still waiting; what happened next is the order's later version, if any.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import F, Sum
from django.utils import timezone

from ivig.clinical.regimens import all_regimens
from ivig.orders.models import DispensedLot, TherapyOrder
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
    phase: str
    category: str | None
    outcome: str  # what happened to the dose
    next_version: TherapyOrder | None


def deferred_doses(start: date, end: date) -> list[Deferral]:
    """Orders signed in the period that the shortage gate sent for approval and were refused or still wait,
    with what happened next (a later version signed, given, or nothing yet). Two queries."""
    gated = list(
        TherapyOrder.objects.filter(
            signed_at__gte=_aware(start),
            signed_at__lt=_aware(end) + timedelta(days=1),
            signed_plan__supply_gate__decision=Decision.APPROVAL.value,
            status__in=(TherapyOrder.Status.REFUSED, TherapyOrder.Status.AWAITING_APPROVAL),
        )
        .select_related("patient")
        .order_by("signed_at", "pk")
    )
    later: dict[int, TherapyOrder] = {}
    previous_ids = [order.pk for order in gated]
    for version in TherapyOrder.objects.filter(previous_id__in=previous_ids).order_by("version", "pk"):
        later.setdefault(version.previous_id or 0, version)
    result = []
    for order in gated:
        gate = (order.signed_plan or {}).get("supply_gate") or {}
        after = later.get(order.pk)
        result.append(
            Deferral(
                order=order,
                phase=str(gate.get("phase", "")),
                category=gate.get("category"),
                outcome=_outcome(order, after),
                next_version=after,
            )
        )
    return result


def _outcome(order: TherapyOrder, after: TherapyOrder | None) -> str:
    if order.status == TherapyOrder.Status.AWAITING_APPROVAL:
        return "still awaiting approval"
    if after is None:
        return "refused; no new order yet"
    return f"refused; then {after.reference} ({after.get_status_display().lower()})"


def deferral_summary(deferrals: list[Deferral]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for item in deferrals:
        key = item.outcome.split(" (")[0] if item.next_version is None else "refused; a new version followed"
        counts[key] += 1
    return dict(counts)
