"""Authorisations ending in the next 30, 60 and 90 days, and outcome-recording compliance per indication."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max, Min, OuterRef, Subquery
from django.utils import timezone

from ivig.clinical.outcomes.compliance import Compliance, review_compliance
from ivig.clinical.outcomes.reviews import REVIEW_KIND_BY_REGIMEN, ReviewKind, ReviewSettings
from ivig.orders.models import Authorisation, TherapyOrder
from ivig.outcomes.models import DoseTrial, OutcomeReview
from ivig.outcomes.summary import GIVEN, indication_of
from ivig.reports.period import Period
from ivig.reports.tables import Table
from ivig.reports.usage import INDICATION_LABELS

HORIZONS_DAYS = (30, 60, 90)
ENDED = (TherapyOrder.Status.CANCELLED, TherapyOrder.Status.REFUSED)


def _bucket(days_left: int) -> str:
    for horizon in HORIZONS_DAYS:
        if days_left <= horizon:
            return f"within {horizon} days"
    return ""


def expiring_authorisations(today: date) -> Table:
    """Each order's latest decision when it is an approval ending between today and 90 days from now."""
    latest = (
        Authorisation.objects.filter(order=OuterRef("order")).order_by("-decided_at", "-id").values("id")[:1]
    )
    rows = (
        Authorisation.objects.filter(
            approved=True,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=HORIZONS_DAYS[-1]),
            id=Subquery(latest),
        )
        .exclude(order__status__in=ENDED)
        .select_related("order__patient")
        .order_by("valid_until", "order__patient__family_name", "id")
    )
    lines = []
    for decision in rows:
        order, patient = decision.order, decision.order.patient
        ends = decision.valid_until
        assert ends is not None  # approvals have an end date (database constraint)
        days_left = (ends - today).days
        lines.append(
            (
                ends.isoformat(),
                days_left,
                _bucket(days_left),
                patient.full_name,
                patient.mrn,
                order.reference,
                INDICATION_LABELS.get(order.indication, order.indication),
            )
        )
    return Table(("Valid until", "Days left", "Ends", "Patient", "MRN", "Order", "Indication"), lines)


def bucket_counts(table: Table) -> list[tuple[str, int]]:
    """How many authorisations end within 30, 31-60 and 61-90 days (from the table's Ends column)."""
    return [
        (f"within {h} days", sum(1 for row in table.rows if row[2] == f"within {h} days"))
        for h in HORIZONS_DAYS
    ]


def review_compliance_by_indication(period: Period, today: date) -> Table:
    """Reviews due in the period per indication, and how many were recorded (clinical.outcomes.compliance)."""
    given = (
        TherapyOrder.objects.filter(status__in=GIVEN, dispensed_at__lt=period.end_before)
        .values("patient", "regimen")
        .annotate(first=Min("dispensed_at"), last=Max("dispensed_at"))
        .order_by("patient", "regimen")
    )
    reviewed: dict[tuple[int, str], list[date]] = defaultdict(list)
    for patient, indication, day in OutcomeReview.objects.filter(reviewed_on__lte=period.end).values_list(
        "patient", "indication", "reviewed_on"
    ):
        reviewed[(patient, indication)].append(day)
    for patient, indication, decided in DoseTrial.objects.filter(
        result_on__isnull=False, result_on__lte=period.end
    ).values_list("patient", "indication", "result_on"):
        if decided is not None:
            reviewed[(patient, indication)].append(decided)
    rules = ReviewSettings(course_outcome_due_days=settings.IVIG_COURSE_OUTCOME_DUE_DAYS)
    per_indication: dict[str, Compliance] = defaultdict(Compliance)
    for group in given:
        regimen = group["regimen"]
        if regimen not in REVIEW_KIND_BY_REGIMEN:
            continue
        indication = indication_of(regimen)
        ongoing = REVIEW_KIND_BY_REGIMEN[regimen] is ReviewKind.ONGOING
        started = timezone.localdate(group["first"] if ongoing else group["last"])
        per_indication[indication] += review_compliance(
            regimen,
            started=started,
            reviews=reviewed.get((group["patient"], indication), []),
            period_start=period.start,
            period_end=period.end,
            today=today,
            settings=rules,
        )

    def cells(label: str, item: Compliance) -> tuple[object, ...]:
        return (label, item.due, item.recorded, item.on_time, item.outstanding, item.recorded_pct)

    lines = [
        cells(INDICATION_LABELS.get(code, code), item)
        for code, item in sorted(per_indication.items())
        if item.due
    ]
    total = Compliance()
    for item in per_indication.values():
        total += item
    return Table(
        ("Indication", "Reviews due", "Recorded", "Recorded on time", "Not recorded", "Recorded (%)"),
        lines,
        cells("All indications", total),
    )
