"""The nurse's day as queries: today's sessions, and dispensed orders that may start (never a sent-back one).

The infusions page and the nurse's home page both read these, so they agree on what can start.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from ivig.infusions.actions import STARTABLE
from ivig.infusions.models import InfusionSession
from ivig.orders.models import TherapyOrder
from ivig.orders.sent_back import held
from ivig.patients.models import PatientQuerySet

# Worklists show names, references and states: the orders' and sessions' clinical JSON (plans, screening,
# reasons) stays in the database, so a list of a hundred rows does not decode a hundred plans it never shows.
_ORDER_DETAIL = ("caution_reasons", "caution_acknowledgements", "screening", "labs")
_SESSION_DETAIL = ("plan_day", "rate_basis", "active_steps")


def todays_sessions(patients: PatientQuerySet, today: date) -> QuerySet[InfusionSession]:
    """Sessions still open, or opened or discharged today: open ones first.

    Today is a range of instants (not a date of each row), so the indexes find the day among years."""
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    opened = Q(created_at__gte=start, created_at__lt=end)
    discharged = Q(discharged_at__gte=start, discharged_at__lt=end)
    return (
        patients.scope(InfusionSession.objects.all())
        .filter(Q(status__in=InfusionSession.ACTIVE) | opened | discharged)
        .select_related("order", "patient")
        .defer(
            *_SESSION_DETAIL, *(f"order__{name}" for name in (*_ORDER_DETAIL, "signed_plan", "verified_plan"))
        )
        .order_by("status", "-created_at")
    )


def ready_to_start(patients: PatientQuerySet) -> QuerySet[TherapyOrder]:
    """Dispensed IV orders a nurse may start a day of; an order sent back to its prescriber is held."""
    return (
        patients.scope(TherapyOrder.objects.filter(status__in=STARTABLE, route=TherapyOrder.Route.IV))
        .exclude(held())
        .select_related("patient")
        .defer(*_ORDER_DETAIL)
        .order_by("dispensed_at", "id")
    )
