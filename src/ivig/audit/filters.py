"""The audit page's filters: patient MRN, user and a date range (days in the centre's time zone)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from ivig.audit.forms import AuditFilterForm
from ivig.audit.models import AuditEvent
from ivig.lib.dates import SaneDateFilter

DATE = forms.DateInput(attrs={"type": "date"})


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


class AuditEventFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    patient = django_filters.CharFilter(
        field_name="patient_mrn", lookup_expr="iexact", label="Patient MRN", max_length=32
    )
    user = django_filters.CharFilter(
        field_name="actor_username", lookup_expr="iexact", label="User", max_length=150
    )
    date_from = SaneDateFilter(method="from_day", label="From", widget=DATE)
    date_to = SaneDateFilter(method="to_day", label="To", widget=DATE)

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = AuditFilterForm  # checks that the range is the right way round

    def from_day(self, events: QuerySet[AuditEvent], name: str, day: date) -> QuerySet[AuditEvent]:
        return events.filter(at__gte=_day_start(day))

    def to_day(self, events: QuerySet[AuditEvent], name: str, day: date) -> QuerySet[AuditEvent]:
        return events.filter(at__lt=_day_start(day + timedelta(days=1)))
