"""The home-visit list's `?date=` and `?nurse=` as a FilterSet, like the other filtered lists."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest

from ivig import clock
from ivig.accounts.models import User
from ivig.lib.dates import SaneDateFilter
from ivig.scheduling.forms import DATE_INPUT, NurseChoice
from ivig.scheduling.models import Appointment


class NurseFilter(django_filters.ModelChoiceFilter):  # type: ignore[misc]  # django-filter is untyped
    field_class = NurseChoice


class HomeVisitFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    """One day's home visits (today unless `date`), of one home-infusion nurse on shift that day: `nurse`, or
    the signed-in nurse when she is one; a nurse with no home shift that day shows everyone's visits.

    After `qs`: `day`, `home_nurses` (on a home shift that day) and `chosen` (or None)."""

    date = SaneDateFilter(widget=DATE_INPUT)  # 1900-2200: a day beyond has no day before or after it
    nurse = NurseFilter(queryset=User.objects.filter(shifts__home_visits=True).distinct())

    class Meta:
        model = Appointment
        fields: list[str] = []

    def __init__(self, data: Any, *, request: HttpRequest) -> None:
        visits = Appointment.objects.filter(home_visit=True).select_related("patient", "order", "nurse")
        super().__init__(data, queryset=visits, request=request)
        self.day = clock.localdate()
        self.home_nurses = self._home_nurses()
        self.chosen: Any = None

    def _home_nurses(self) -> QuerySet[User]:
        return User.objects.filter(shifts__day=self.day, shifts__home_visits=True).order_by("last_name")

    def filter_queryset(self, queryset: QuerySet[Appointment]) -> QuerySet[Appointment]:
        data = self.form.cleaned_data
        self.day = data.get("date") or clock.localdate()
        self.home_nurses = self._home_nurses()
        nurse = data.get("nurse") or self.request.user
        self.chosen = self.home_nurses.filter(pk=nurse.pk).first() if nurse.pk is not None else None
        visits = queryset.filter(day=self.day)
        return visits if self.chosen is None else visits.filter(nurse=self.chosen)
