"""The pharmacist's steps: the independent double check, then dispensing vials from lots.

Each function is one transaction and leaves an audit event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ivig import clock
from ivig.inventory.actions import StockError, dispense
from ivig.inventory.models import Lot, StockProduct
from ivig.inventory.queries import LotPick, suggest_lots
from ivig.orders.actions import OrderError, lock_order, log_event, plan_without_stop
from ivig.orders.findings import cautions
from ivig.orders.models import DispensedLot, TherapyOrder
from ivig.orders.planning import OrderInput, compute_plan, product_name

if TYPE_CHECKING:
    from ivig.accounts.models import User

# The pharmacist types the weight they checked; within this it is the same weight (scales show 0.1 kg).
WEIGHT_MATCH_KG = Decimal("0.05")


@dataclass(frozen=True)
class VialNeed:
    """Vials of one size the verified plan needs for the whole course, and the stock product for them."""

    size_g: Decimal
    count: int
    stock_product: StockProduct | None


def _require_authorised(order: TherapyOrder, today: date) -> None:
    if order.authorised_on(today):
        return
    decision = order.latest_authorisation()
    if decision is None:
        raise OrderError(f"{order.reference} needs approval before it can be verified or dispensed.")
    if not decision.approved:
        raise OrderError(f"{order.reference}: the authorisation was refused ({decision.reason}).")
    raise OrderError(
        f"{order.reference}: the authorisation ended on {decision.valid_until:%Y-%m-%d}; it must be renewed."
    )


@transaction.atomic
def verify_order(
    *,
    by: User,
    order: TherapyOrder,
    weight_kg: Decimal,
    dose_confirmed: bool,
    product_slug: str = "",
    acknowledged: Iterable[str] = (),
    today: date | None = None,
) -> TherapyOrder:
    """Check a signed order independently: a different person, the same weight, a dose that still plans
    with no stop, and each caution of the plan made now acknowledged (`acknowledged`: their codes), each
    with the prescriber's reason."""
    today = today or clock.localdate()
    order = lock_order(order)
    if order.prescriber_id == getattr(by, "pk", None):
        raise OrderError("You signed this order: a different pharmacist must verify it.")
    if order.status != TherapyOrder.Status.SIGNED:
        raise OrderError(f"{order.reference} is {order.get_status_display().lower()}, not ready to verify.")
    _require_authorised(order, today)
    if abs(Decimal(weight_kg) - order.weight_kg) > WEIGHT_MATCH_KG:
        raise OrderError(
            f"Your weight {weight_kg} kg is not the order's {order.weight_kg} kg: "
            "send the order back to the prescriber for a new version."
        )
    if not dose_confirmed:
        raise OrderError("Confirm that you checked the dose.")
    if order.product_slug and product_slug and product_slug != order.product_slug:
        raise OrderError(
            f"The prescriber asked for {product_name(order.product_slug)}: "
            "a different product needs a new version of the order."
        )
    chosen = order.product_slug or product_slug
    if not chosen:
        raise OrderError("The pharmacy chooses the product for this order: choose one.")
    outcome = compute_plan(OrderInput.from_order(order, product_slug=chosen), today)
    plan = plan_without_stop(
        outcome, f"The order does not plan with {product_name(chosen)}", "The order cannot be verified"
    )
    items = cautions(plan, order.caution_reasons or {})
    unexplained = [c.message for c in items if c.problem]
    if unexplained:
        raise OrderError(
            "The plan has a caution the prescriber gave no reason for: "
            + "; ".join(unexplained)
            + ". Send the order back to the prescriber for a new version."
        )
    ticked = set(acknowledged)
    missing = [c.message for c in items if c.code not in ticked]
    if missing:
        raise OrderError("Acknowledge each caution and its reason: " + "; ".join(missing) + ".")
    at = clock.now()
    who = {"by": by.pk, "by_name": _name(by), "at": at.isoformat()}
    order.caution_acknowledgements = {c.code: who for c in items}
    order.verified_product_slug = plan.product.slug
    order.verified_plan = plan.to_dict() | {
        "cautions": [
            c.as_dict() | {"acknowledged_by": who["by_name"], "acknowledged_at": who["at"]} for c in items
        ]
    }
    order.verified_weight_kg = Decimal(weight_kg)
    order.verified_by, order.verified_at = by, at
    order.status = TherapyOrder.Status.VERIFIED
    order.save()
    log_event(
        "verify",
        by,
        order,
        f"verified with {plan.product.name}",
        after={
            "product": order.verified_product_slug,
            "weight_kg": weight_kg,
            "plan": order.verified_plan,
            "caution_acknowledgements": order.caution_acknowledgements,
        },
    )
    return order


def _name(user: Any) -> str:
    return str(getattr(user, "display_name", "") or user)


def vial_needs(order: TherapyOrder) -> list[VialNeed]:
    """Vials by size for the whole verified course, largest first."""
    plan = order.verified_plan or {}
    counts: Counter[Decimal] = Counter()
    for day in plan.get("days", []):
        for vial in day["vials"]:
            counts[Decimal(str(vial["size_g"]))] += int(vial["count"])
    products = {
        p.vial_size_g.normalize(): p
        for p in StockProduct.objects.filter(catalog_slug=order.verified_product_slug)
    }
    return [
        VialNeed(size, count, products.get(size.normalize()))
        for size, count in sorted(counts.items(), reverse=True)
        if count > 0
    ]


def suggested_picks(order: TherapyOrder, today: date) -> dict[Decimal, list[LotPick]]:
    """First-expiry-first-out picks for each vial size the order needs."""
    return {
        need.size_g: suggest_lots(need.stock_product, need.count, today) if need.stock_product else []
        for need in vial_needs(order)
    }


@transaction.atomic
def dispense_order(
    *, by: User, order: TherapyOrder, picks: list[tuple[Lot, int]], today: date | None = None
) -> TherapyOrder:
    """Take the verified course's vials from the chosen lots, all or nothing."""
    today = today or clock.localdate()
    order = lock_order(order)
    if order.status != TherapyOrder.Status.VERIFIED:
        raise OrderError(f"{order.reference} is {order.get_status_display().lower()}, not ready to dispense.")
    _require_authorised(order, today)
    _require_no_stop_now(order, today)
    picks = [(lot, vials) for lot, vials in picks if vials]
    if any(vials < 0 for _lot, vials in picks):
        raise OrderError("Vial counts cannot be negative.")
    needed = {need.size_g.normalize(): need.count for need in vial_needs(order)}
    chosen: Counter[Decimal] = Counter()
    for lot, vials in picks:
        if lot.product.catalog_slug != order.verified_product_slug:
            raise OrderError(f"Lot {lot.lot_number} is {lot.product}, not the verified product.")
        chosen[lot.product.vial_size_g.normalize()] += vials
    if dict(chosen) != needed:
        raise OrderError(f"The lots chosen give {_describe(chosen)}; the order needs {_describe(needed)}.")
    for lot, vials in picks:
        try:
            movement = dispense(by=by, lot=lot, quantity_vials=vials, reference=order.reference, today=today)
        except StockError as error:
            raise OrderError(str(error)) from None
        DispensedLot.objects.create(order=order, lot=lot, quantity_vials=vials, movement=movement)
    order.status = TherapyOrder.Status.DISPENSED
    order.dispensed_by, order.dispensed_at = by, clock.now()
    order.save(update_fields=["status", "dispensed_by", "dispensed_at", "updated_at"])
    log_event(
        "dispense",
        by,
        order,
        "dispensed " + ", ".join(f"{vials} x lot {lot.lot_number}" for lot, vials in picks),
        after={"lots": [{"lot_id": lot.pk, "lot": lot.lot_number, "vials": vials} for lot, vials in picks]},
    )
    return order


def _require_no_stop_now(order: TherapyOrder, today: date) -> None:
    """Plan the verified order again: a course dispensed since (another tab, another pharmacist) may have
    brought this one over the 28-day ceiling, or a site limit may have been lowered."""
    data = OrderInput.from_order(
        order, product_slug=order.verified_product_slug, weight_kg=order.verified_weight_kg or order.weight_kg
    )
    plan_without_stop(
        compute_plan(data, today),
        f"{order.reference} no longer plans",
        f"{order.reference} cannot be dispensed now",
    )


def _describe(counts: dict[Decimal, int]) -> str:
    parts = [f"{count} x {size:f} g" for size, count in sorted(counts.items(), reverse=True) if count]
    return ", ".join(parts) or "no vials"
