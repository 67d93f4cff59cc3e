"""Doses the shortage gate held back (issue 20): a draft whose signature was refused because the declared
phase asks its indication's category to wait.

`sign_order` raises `OrderWaits` from its atomic part; its non-atomic wrapper then calls `record_deferral` in
a transaction of its own, so the record survives the refused signature. When the wrapper itself runs inside a
caller's transaction (the order form's save-and-sign, a conservation proposal's accept), the record commits or
rolls back with that transaction: the caller decides (the order form keeps the draft and its deferral).
A black-category refusal is not recorded: that indication is not prescribed in any phase, which is not a dose
deferred by the shortage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from ivig import clock
from ivig.audit.events import record
from ivig.orders.models import OrderDeferral, TherapyOrder
from ivig.siteconfig.shortage import ShortagePhaseDeclaration

if TYPE_CHECKING:
    from ivig.accounts.models import User
    from ivig.orders.supply_gate import SupplyGate


@transaction.atomic
def record_deferral(*, by: User, order: TherapyOrder, gate: SupplyGate, message: str) -> OrderDeferral:
    """Record that `order` waits in the declared phase; when the prescriber tries again, the deferral already
    recorded for this draft and declaration (idempotent)."""
    order = TherapyOrder.objects.select_for_update().select_related("patient").get(pk=order.pk)
    declaration = ShortagePhaseDeclaration.current()
    existing = OrderDeferral.objects.filter(order=order, declaration=declaration).first()
    if existing is not None:
        return existing
    deferral = OrderDeferral.objects.create(
        order=order,
        declaration=declaration,
        deferred_at=clock.now(),
        deferred_by=by,
        phase=gate.phase,
        category=gate.category or "",
        indication=gate.indication,
        decision=gate.decision,
        message=message,
    )
    record(
        action="order.deferred",
        by=by,
        target=order,
        patient=order.patient,
        summary=f"{order.reference}: not signed, waits in shortage phase {gate.phase_label} "
        f"({gate.category_label})",
        after={"phase": gate.phase, "category": gate.category, "decision": gate.decision},
    )
    return deferral


def latest_deferral(order: TherapyOrder) -> OrderDeferral | None:
    return order.deferrals.order_by("-deferred_at", "-id").first()
