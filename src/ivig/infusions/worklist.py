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
from ivig.patients.models import Patient


def todays_sessions(patients: QuerySet[Patient], today: date) -> QuerySet[InfusionSession]:
    """Sessions still open, or opened or discharged today: open ones first.

    Today is a range of instants (not a date of each row), so the indexes find the day among years."""
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    opened = Q(created_at__gte=start, created_at__lt=end)
    discharged = Q(discharged_at__gte=start, discharged_at__lt=end)
    return (
        InfusionSession.objects.filter(patient__in=patients)
        .filter(Q(status__in=InfusionSession.ACTIVE) | opened | discharged)
        .select_related("order", "patient")
        .order_by("status", "-created_at")
    )


def ready_to_start(patients: QuerySet[Patient]) -> QuerySet[TherapyOrder]:
    """Dispensed IV orders a nurse may start a day of; an order sent back to its prescriber is held."""
    return (
        TherapyOrder.objects.filter(patient__in=patients, status__in=STARTABLE, route=TherapyOrder.Route.IV)
        .exclude(held())
        .select_related("patient")
        .order_by("dispensed_at", "id")
    )
