"""The adverse-event register as a query: worklist order, filters, and what every page and export loads.

The worklist, the MedWatch CSV and the FHIR download select through ivig.hemovigilance.filters, which starts
from `filtered()`, so they show the same reports as the home page counts.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from ivig.hemovigilance.models import AdverseEventReport
from ivig.inventory.models import Lot

Status = AdverseEventReport.Status
# New first, then in review and reviewed (still to decide), then the decided ones.
STATUS_RANK = (Status.NEW, Status.IN_REVIEW, Status.REVIEWED, Status.REPORTED, Status.CLOSED)


def with_related(reports: QuerySet[AdverseEventReport]) -> QuerySet[AdverseEventReport]:
    """Everything a page or an export shows, in a constant number of queries."""
    return reports.select_related(
        "patient",
        "patient__care_site",
        "order",
        "flowsheet_event__session",
        "diary_reaction__follow_up",
        "recorded_by",
        "reviewed_by",
        "reported_by",
        "closed_by",
    ).prefetch_related(
        Prefetch("lots", queryset=Lot.objects.select_related("product").order_by("lot_number", "pk"))
    )


def worklist_order(reports: QuerySet[AdverseEventReport]) -> QuerySet[AdverseEventReport]:
    rank = Case(
        *(When(status=status, then=Value(i)) for i, status in enumerate(STATUS_RANK)),
        output_field=IntegerField(),
    )
    return reports.annotate(status_rank=rank).order_by("status_rank", "-serious", "-onset_at", "-pk")


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def filtered(
    *,
    status: str = "",
    product: str = "",
    lot: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    serious_only: bool = False,
) -> QuerySet[AdverseEventReport]:
    """The reports matching the worklist's filters (all of them when none is given), in worklist order."""
    reports: QuerySet[AdverseEventReport] = AdverseEventReport.objects.all()
    if status == "open":
        reports = reports.filter(status__in=(Status.NEW, Status.IN_REVIEW, Status.REVIEWED))
    elif status:
        reports = reports.filter(status=status)
    if product:
        reports = reports.filter(product_slug=product)
    if lot:
        reports = reports.filter(
            pk__in=AdverseEventReport.objects.filter(lots__lot_number__iexact=lot).values("pk")
        )
    if date_from:
        reports = reports.filter(onset_at__gte=day_start(date_from))
    if date_to:
        reports = reports.filter(onset_at__lt=day_start(date_to + timedelta(days=1)))
    if serious_only:
        reports = reports.filter(serious=True)
    return with_related(worklist_order(reports))
