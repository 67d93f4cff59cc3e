"""The patient list's search, as a FilterSet: `q` finds patients by MRN or by the start of their names."""

from __future__ import annotations

import django_filters

from ivig.patients.models import Patient, PatientQuerySet


class PatientFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    q = django_filters.CharFilter(method="search", label="Name or MRN", max_length=100)

    class Meta:
        model = Patient
        fields: list[str] = []

    def search(self, patients: PatientQuerySet, name: str, query: str) -> PatientQuerySet:
        return patients.search(query)
