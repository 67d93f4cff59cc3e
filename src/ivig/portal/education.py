"""What the education pages say about this patient's treatment: product, setting, duration, appointment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext

from ivig import clock
from ivig.orders.models import TherapyOrder
from ivig.patients.models import Patient
from ivig.scheduling.models import Appointment
from ivig.siteconfig.models import CareSite

SHOWN_STATUSES = ("signed", "verified", "dispensed", "in_progress", "completed")


@dataclass(frozen=True)
class Personal:
    product_name: str | None
    at_home: bool | None  # None: not known
    care_site: str | None
    route: str | None  # "iv" or "sc"
    days: int | None
    duration_min_low: float | None
    duration_min_high: float | None
    next_appointment: datetime | None
    next_appointment_at_home: bool

    @property
    def duration_text(self) -> str:
        """ "5 h 14 min", or "4 h 30 min to 5 h 14 min" when the days differ; "" when not known."""
        if self.duration_min_low is None or self.duration_min_high is None:
            return ""
        low, high = round(self.duration_min_low), round(self.duration_min_high)
        if low == high:
            return span(low)
        return gettext("%(low)s to %(high)s") % {"low": span(low), "high": span(high)}


def span(minutes: int) -> str:
    """Hours and minutes, as a family reads a clock: "45 min", "5 h", "5 h 14 min" (the same in Spanish)."""
    whole, rest = divmod(minutes, 60)
    if not whole:
        return f"{rest} min"
    return f"{whole} h {rest} min" if rest else f"{whole} h"


def personal_for(patient: Patient) -> Personal:
    order = (
        TherapyOrder.objects.filter(patient=patient, status__in=SHOWN_STATUSES)
        .order_by("-signed_at", "-pk")
        .first()
    )
    plan = order.plan if order else None
    site = patient.care_site
    upcoming = (
        Appointment.objects.filter(patient=patient, status=Appointment.Status.BOOKED, start__gte=clock.now())
        .order_by("start")
        .first()
    )
    durations = [day["duration_min"] for day in (plan or {}).get("days", []) if day.get("duration_min")]
    return Personal(
        product_name=(plan or {}).get("product_name"),
        at_home=None if site is None else site.kind == CareSite.Kind.HOME,
        care_site=site.name if site else None,
        route=order.route if order else None,
        days=len(plan["days"]) if plan else None,
        duration_min_low=min(durations) if durations else None,
        duration_min_high=max(durations) if durations else None,
        next_appointment=upcoming.start if upcoming else None,
        next_appointment_at_home=bool(upcoming and upcoming.home_visit),
    )
