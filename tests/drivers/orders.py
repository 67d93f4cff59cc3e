"""Orders: the new-order form as a prescriber fills it; the pharmacy's verify and dispense; a criteria
version that makes orders need approval."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from ivig import clock


def verify(order: Any, *, by: Any, weight_kg: str | Decimal | None = None, **fields: Any) -> Any:
    """Verify as the pharmacist: the order's weight (unless told) and dose confirmed, every caution
    acknowledged; returns the verified order."""
    from ivig.demo.orders import acknowledged_codes
    from ivig.orders.pharmacy import verify_order

    weight = order.weight_kg if weight_kg is None else Decimal(weight_kg)
    values: dict[str, Any] = {"dose_confirmed": True, "acknowledged": acknowledged_codes(order)} | fields
    return verify_order(by=by, order=order, weight_kg=weight, **values)


def verify_and_dispense(
    order: Any, *, by: Any, picks: list[tuple[Any, int]] | None = None, **fields: Any
) -> Any:
    """Verify, then dispense the picked (lot, vials), or the vials the pharmacy suggests from stock (first
    to expire first) when no picks are given; returns the dispensed order."""
    from ivig.orders.pharmacy import dispense_order, suggested_picks

    order = verify(order, by=by)
    if picks is None:
        today = fields.get("today") or clock.localdate()
        picks = [(p.lot, p.vials) for lots in suggested_picks(order, today).values() for p in lots]
    return dispense_order(by=by, order=order, picks=picks, **fields)


def require_approval(
    *,
    by: Any,
    indication: str = "itp",
    approval_days: int = 182,
    source: str = "site decision 2026-11",
    required_labs: list[str] | None = None,
) -> Any:
    """A criteria version from today: baseline labs (platelets for ITP) within 90 days, and approval for
    `approval_days`."""
    from ivig.orders.criteria_actions import add_criteria_version

    return add_criteria_version(
        by=by,
        indication=indication,
        required_labs=(["platelets"] if indication == "itp" else [])
        if required_labs is None
        else required_labs,
        baseline_max_age_days=90,
        review_interval_days=None,
        approval_required=True,
        approval_days=approval_days,
        source=source,
        effective_from=date.today(),
    )


def order_data(patient: Any, **changes: Any) -> dict[str, Any]:
    """The new-order form filled in: ITP 1 g/kg x 2 days of Privigen at 25 kg, platelets 12 today."""
    data = {
        "patient": patient.pk,
        "regimen": "itp",
        "route": "iv",
        "product_slug": "privigen",
        "dose_g_per_kg": "1",
        "days": "2",
        "weight": "25",
        "weight_unit": "kg",
        "height_unit": "cm",
        "first_infusion": "on",
        "lab_platelets": "12",
        "lab_platelets_on": date.today().isoformat(),
        "justification": "ITP with mucosal bleeding",
    }
    return data | changes


def with_reasons(client: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Give a real reason in each caution box the live preview shows, as a prescriber would."""
    from django.urls import reverse

    preview = client.post(reverse("orders:preview"), data).content.decode()
    for code in re.findall(r'name="reason-([a-z0-9-]+)"', preview):
        data[f"reason-{code}"] = f"Considered for {code}: the treating team agreed this plan"
    return data
