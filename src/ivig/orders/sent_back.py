"""Orders a nurse sent back from the bedside (today's weight too far from the order's): held until replaced.

A sent-back session stops that day; the order stays dispensed (or in progress) but no day of it may start
again: the prescriber checks the dose and signs a new version, which cancels this one when it is signed.
The rule lives here so the worklists, the home page, the nurse's list and `start_session` agree on it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from ivig.infusions.models import InfusionSession
from ivig.orders.models import TherapyOrder

Status = TherapyOrder.Status
# A sent-back order that is still live: once its new version is signed it is cancelled and drops off.
HOLDABLE = (Status.DISPENSED, Status.IN_PROGRESS)


def _sent_back_sessions() -> QuerySet[InfusionSession]:
    return InfusionSession.objects.filter(order=OuterRef("pk"), status=InfusionSession.Status.SENT_BACK)


def held() -> Exists:
    """True for an order with a sent-back session (use in filter/exclude/annotate)."""
    return Exists(_sent_back_sessions())


def with_send_back(orders: QuerySet[TherapyOrder]) -> QuerySet[TherapyOrder]:
    """Add the latest send-back: `sent_back_reason`, `sent_back_at`, `sent_back_day`, `sent_back_by_*`."""
    latest = _sent_back_sessions().order_by("-sent_back_at", "-id")
    return orders.annotate(
        sent_back_reason=Subquery(latest.values("sent_back_reason")[:1]),
        sent_back_at=Subquery(latest.values("sent_back_at")[:1]),
        sent_back_day=Subquery(latest.values("day_number")[:1]),
        sent_back_by_first=Subquery(latest.values("sent_back_by__first_name")[:1]),
        sent_back_by_last=Subquery(latest.values("sent_back_by__last_name")[:1]),
    )


def sent_back_to(user: Any, orders: QuerySet[TherapyOrder] | None = None) -> QuerySet[TherapyOrder]:
    """Live orders this prescriber signed that a nurse sent back, oldest send-back first."""
    base = TherapyOrder.objects.select_related("patient") if orders is None else orders
    return with_send_back(base.filter(prescriber=user, status__in=HOLDABLE).filter(held())).order_by(
        "sent_back_at", "id"
    )


def latest_send_back(order: TherapyOrder) -> InfusionSession | None:
    """The session that holds this order, if any (None once a new version has replaced it)."""
    if order.status not in HOLDABLE:
        return None
    return (
        order.infusion_sessions.filter(status=InfusionSession.Status.SENT_BACK)
        .order_by("-sent_back_at", "-id")
        .first()
    )


def hold_message(order: TherapyOrder, session: InfusionSession) -> str:
    return (
        f"{order.reference} was sent back to the prescriber on day {session.day_number} "
        f"({session.sent_back_reason}): no day starts until a new version is signed."
    )
