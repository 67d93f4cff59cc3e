"""The nurse's day as queries: today's sessions, and dispensed orders that may start (never a sent-back one).

The infusions page and the nurse's home page both read these, so they agree on what can start.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from ivig.infusions.actions import STARTABLE
from ivig.infusions.models import InfusionSession
from ivig.orders.models import TherapyOrder
from ivig.orders.sent_back import held
from ivig.patients.models import Patient


def todays_sessions(patients: QuerySet[Patient], today: date) -> QuerySet[InfusionSession]:
    """Sessions still open, or opened or discharged today: open ones first."""
    return (
        InfusionSession.objects.filter(patient__in=patients)
        .filter(
            Q(status__in=InfusionSession.ACTIVE) | Q(created_at__date=today) | Q(discharged_at__date=today)
        )
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
