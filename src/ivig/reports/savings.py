"""Grams saved by the dosing weight and by vial rounding, per indication, against actual-weight dosing.

One query reads the period's dispensed orders with their dispensed grams; the clinical core then plans each
order again on actual body weight (`orders.planning.actual_weight_dose_g`; an order whose plan already used
actual weight is its own comparison) and `clinical.savings` does the arithmetic. Orders without a verified
plan, or that the core cannot plan again, are counted apart.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import DecimalField, F, Sum
from django.utils import timezone

from ivig.clinical.savings import DoseSavings, add_up, dose_savings
from ivig.orders.models import TherapyOrder
from ivig.orders.planning import actual_weight_dose_g
from ivig.reports.period import Period
from ivig.reports.tables import Table
from ivig.reports.usage import INDICATION_LABELS, indication_of_regimen
from ivig.siteconfig.models import SiteSettings

COLUMNS = (
    "Indication",
    "Orders",
    "Grams on actual weight",
    "Grams on dosing weight",
    "Grams dispensed",
    "Saved by weight policy (g)",
    "Saved by vial rounding (g)",
    "Saved in all (g)",
    "Saved in all (%)",
)


def _cells(label: str, item: DoseSavings) -> tuple[object, ...]:
    return (
        label,
        item.orders,
        round(item.actual_weight_g, 2),
        round(item.policy_g, 2),
        round(item.dispensed_g, 2),
        item.by_weight_policy_g,
        item.by_rounding_g,
        item.total_g,
        item.total_pct,
    )


def savings_by_indication(period: Period) -> tuple[Table, int]:
    """The savings table and how many dispensed orders could not be compared."""
    settings = SiteSettings.load().dosing_settings()
    orders = (
        TherapyOrder.objects.filter(
            dispensed_at__gte=period.start_at,
            dispensed_at__lt=period.end_before,
            dispensed_lots__isnull=False,
        )
        .select_related("patient")
        .annotate(
            indication_code=indication_of_regimen("regimen"),
            dispensed_g=Sum(
                F("dispensed_lots__quantity_vials") * F("dispensed_lots__lot__product__vial_size_g"),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
        )
        .order_by("pk")
    )
    by_indication: dict[str, list[DoseSavings]] = defaultdict(list)
    skipped = 0
    for order in orders:
        plan = order.verified_plan or order.signed_plan or {}
        policy_g = plan.get("prescribed_dose_g")
        actual_g: float | None
        if policy_g is not None and plan.get("weight_basis") == "actual":
            actual_g = float(policy_g)  # planned on actual weight already: the same plan, no need to redo it
        elif policy_g is not None:
            actual_g = actual_weight_dose_g(order, settings, timezone.localdate(order.dispensed_at))
        else:
            actual_g = None
        if policy_g is None or actual_g is None:
            skipped += 1
            continue
        by_indication[order.indication_code].append(
            dose_savings(
                actual_weight_g=actual_g, policy_g=float(policy_g), dispensed_g=float(order.dispensed_g)
            )
        )
    totals = {code: add_up(items) for code, items in by_indication.items()}
    lines = [
        _cells(INDICATION_LABELS.get(code, code or "Unknown"), item)
        for code, item in sorted(totals.items(), key=lambda pair: -pair[1].total_g)
    ]
    return Table(COLUMNS, lines, _cells("All indications", add_up(totals.values()))), skipped
