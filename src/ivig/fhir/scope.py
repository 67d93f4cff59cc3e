"""What a user may read from a source: everything (the source's permission), their own patients' rows
(a portal user with VIEW_OWN_RECORD), or nothing.

A SMART access token narrows that further (ivig.smart.scopes): its scopes must cover the type, and
patient/ scopes limit it to the launch patient. The token's SmartAccess rides on the user object the API
authenticated (`with_access`), so the search, read and export code passes the user as before.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ivig.accounts.roles import VIEW_OWN_RECORD
from ivig.fhir.registry import Source
from ivig.patients.models import Patient
from ivig.smart.scopes import Reach, SmartAccess

ACCESS_ATTR = "_fhir_smart_access"
VERBS = {"r": "reading", "s": "searching", "c": "creating"}


class Forbidden(Exception):
    """The user's roles do not allow reading this resource type (HTTP 403)."""


def own_patients(user: Any) -> QuerySet[Patient]:
    """The patients a portal account is linked to (its own record, or children it looks after)."""
    return Patient.objects.linked_to(user)


def with_access(user: Any, access: SmartAccess) -> Any:
    """Mark `user` (an object of this request) as acting through a SMART token with this access."""
    setattr(user, ACCESS_ATTR, access)
    return user


def access_of(user: Any) -> SmartAccess | None:
    """The SMART access the user acts through, or None (a personal API token: the role alone)."""
    return getattr(user, ACCESS_ATTR, None)


def patient_limit(source: Source, user: Any) -> QuerySet[Patient] | None:
    """The patients whose rows of `source` the user may read (None: every row); Forbidden when none.

    The role decides first (every row, the portal account's own patients, or nothing); a SMART token's
    scopes can only narrow it: a type its scopes do not cover is forbidden, patient/ scopes keep only the
    launch patient.
    """
    if user.has_perm(source.permission):
        patients = None
    elif user.has_perm(VIEW_OWN_RECORD):
        patients = own_patients(user)
    else:
        raise Forbidden(f"Your role does not allow reading {source.resource_type} resources.")
    access = access_of(user)
    if access is not None:
        reach = access.reach(source.resource_type)
        if reach is Reach.NONE:
            verb = VERBS.get(access.interaction, "reading")
            raise Forbidden(
                f"The access token's scopes do not allow {verb} {source.resource_type} resources."
            )
        if reach is Reach.PATIENT:
            assert access.patient_id is not None  # Reach.PATIENT needs a launch patient
            patients = (patients if patients is not None else Patient.objects.all()).filter(
                pk=access.patient_id
            )
    if patients is not None and source.patient_path is None and source.patient_filter is None:
        raise Forbidden(f"{source.resource_type} resources belong to no patient; they are not yours to read.")
    return patients


def may_read(source: Source, user: Any) -> bool:
    try:
        patient_limit(source, user)
    except Forbidden:
        return False
    return True


def readable(source: Source, user: Any) -> QuerySet[Any]:
    """The source's rows `user` may read; raises Forbidden when that is none by role or token scope."""
    patients = patient_limit(source, user)
    queryset = source.base_queryset()
    if patients is None:
        return queryset
    if source.patient_path is not None:
        field = f"{source.patient_path}__in" if source.patient_path else "pk__in"
        return queryset.filter(**{field: patients.values("pk")})
    assert source.patient_filter is not None
    # patient_filter receives the queryset of Patients the user may see (one or several).
    return source.patient_filter(queryset, patients)
