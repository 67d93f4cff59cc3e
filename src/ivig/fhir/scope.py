"""What a user may read from a source: everything (the source's permission), their own patients' rows
(a portal user with VIEW_OWN_RECORD), or nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ivig.accounts.roles import VIEW_OWN_RECORD
from ivig.fhir.registry import Source
from ivig.patients.models import Patient


class Forbidden(Exception):
    """The user's roles do not allow reading this resource type (HTTP 403)."""


def own_patients(user: Any) -> QuerySet[Patient]:
    """The patients a portal account is linked to (its own record, or children it looks after)."""
    return Patient.objects.linked_to(user)


def may_read(source: Source, user: Any) -> bool:
    if user.has_perm(source.permission):
        return True
    if not user.has_perm(VIEW_OWN_RECORD):
        return False
    return source.patient_path is not None or source.patient_filter is not None


def readable(source: Source, user: Any) -> QuerySet[Any]:
    """The source's rows `user` may read; raises Forbidden when that is none by role."""
    queryset = source.base_queryset()
    if user.has_perm(source.permission):
        return queryset
    if not may_read(source, user):
        raise Forbidden(f"Your role does not allow reading {source.resource_type} resources.")
    patient_ids = own_patients(user).values("pk")
    if source.patient_path is not None:
        field = f"{source.patient_path}__in" if source.patient_path else "pk__in"
        return queryset.filter(**{field: patient_ids})
    assert source.patient_filter is not None
    # patient_filter receives the queryset of Patients the user may see (one or several).
    return source.patient_filter(queryset, own_patients(user))
