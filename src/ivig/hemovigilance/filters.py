"""The adverse-event register's filters as a FilterSet: the worklist, the MedWatch CSV and the FHIR download
all select their reports through it, so they show the same ones."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from ivig.hemovigilance import register
from ivig.hemovigilance.ae_forms import RegisterFilterForm, product_choices
from ivig.hemovigilance.models import AdverseEventReport
from ivig.lib.dates import SaneDateFilter
from ivig.lib.paging import CheckboxFilter

Report = AdverseEventReport
DATE = forms.DateInput(attrs={"type": "date"})
Reports = QuerySet[AdverseEventReport]
STILL_TO_DECIDE = (Report.Status.NEW, Report.Status.IN_REVIEW, Report.Status.REVIEWED)


class AdverseEventFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    status = django_filters.ChoiceFilter(
        choices=[("open", "Still to decide"), *Report.Status.choices],
        empty_label="Any status",
        method="by_status",
    )
    product = django_filters.ChoiceFilter(
        field_name="product_slug", choices=product_choices, empty_label="Any product"
    )
    lot = django_filters.CharFilter(label="Lot number", max_length=20, method="by_lot")
    date_from = SaneDateFilter(label="Onset from", widget=DATE, method="onset_from")
    date_to = SaneDateFilter(label="Onset to", widget=DATE, method="onset_to")
    serious = CheckboxFilter(label="Serious only", method="serious_only")

    class Meta:
        model = AdverseEventReport
        fields: list[str] = []
        form = RegisterFilterForm  # checks that the onset range is the right way round

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", register.filtered())  # worklist order, everything a page shows
        super().__init__(data, **kwargs)

    def by_status(self, reports: Reports, name: str, status: str) -> Reports:
        if status == "open":
            return reports.filter(
                status__in=(Report.Status.NEW, Report.Status.IN_REVIEW, Report.Status.REVIEWED)
            )
        return reports.filter(status=status)

    def by_lot(self, reports: Reports, name: str, lot: str) -> Reports:
        return reports.filter(pk__in=Report.objects.filter(lots__lot_number__iexact=lot).values("pk"))

    def onset_from(self, reports: Reports, name: str, day: date) -> Reports:
        return reports.filter(onset_at__gte=register.day_start(day))

    def onset_to(self, reports: Reports, name: str, day: date) -> Reports:
        return reports.filter(onset_at__lt=register.day_start(day + timedelta(days=1)))

    def serious_only(self, reports: Reports, name: str, serious: bool) -> Reports:
        return reports.filter(serious=True) if serious else reports
