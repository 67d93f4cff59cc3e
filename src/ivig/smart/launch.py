"""Launch context: which patient an app approved by a user works on.

- EHR launch: a staff user opens "Launch app" on a patient's page; we mint a launch id for that patient, user
  and app, and the app sends it back as `launch` in its authorization request (scope `launch`).
- Standalone launch (scope `launch/patient`): a portal user's own linked patient is taken at once (they pick
  when they look after several); a staff user picks one of the patients they may see.

Either way the patient must be one the user may see: a launch never widens the user's role.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from ivig import clock
from ivig.accounts.roles import VIEW_PATIENT
from ivig.audit.events import record
from ivig.patients.models import Patient, PatientQuerySet
from ivig.smart.models import LaunchContext
from ivig.smart.scopes import LAUNCH, LAUNCH_PATIENT, needs_patient

if TYPE_CHECKING:
    from ivig.accounts.models import User

MAX_CHOICES = 20


class LaunchProblem(ValueError):
    """The authorization request's launch context cannot be used; the message says why."""

    def __init__(self, message: str, *, error: str = "invalid_request") -> None:
        super().__init__(message)
        self.error = error


@dataclass
class Decision:
    """The patient the grant will be limited to (None: no patient context), or the choices offered."""

    patient: Patient | None = None
    launch: LaunchContext | None = None
    must_choose: bool = False
    choices: list[Patient] = field(default_factory=list)


@transaction.atomic
def mint_launch(*, by: User, application: Any, patient: Patient) -> LaunchContext:
    """A new EHR launch id for `patient` in `application`, usable once by `by`, for a few minutes."""
    launch = LaunchContext.objects.create(
        launch_id=secrets.token_urlsafe(24),
        application=application,
        user=by,
        patient=patient,
        expires_at=clock.now() + timedelta(minutes=settings.IVIG_SMART_LAUNCH_MINUTES),
    )
    record(
        action="smart.launch",
        by=by,
        target=launch,
        patient=patient,
        summary=f"App {application.name or application.client_id!r} launched for {patient.mrn}",
        after={"client_id": application.client_id},
    )
    return launch


def patients_for(user: Any) -> PatientQuerySet:
    """The patients `user` may give an app: all for staff who see patients, their own for a portal user."""
    return Patient.objects.visible_to(user)


def decide(
    *, user: Any, application: Any, scopes: list[str], params: Mapping[str, str], search: str = ""
) -> Decision:
    """The launch context of an authorization request; LaunchProblem when it cannot be used.

    `params` holds the request's `launch` and, once chosen, `patient` (a patient id).
    """
    launch_id = (params.get("launch") or "").strip()
    if launch_id:
        launch = _open_launch(launch_id, user=user, application=application)
        patient = patients_for(user).filter(pk=launch.patient_id).first()
        if patient is None:
            raise LaunchProblem("The launch names a patient you may not see.", error="access_denied")
        return Decision(patient=patient, launch=launch)
    if LAUNCH in scopes:
        raise LaunchProblem("The launch scope needs the launch parameter the EHR sent to the app.")
    if LAUNCH_PATIENT in scopes:
        return _standalone(user, params.get("patient") or "", search)
    if needs_patient(scopes):
        raise LaunchProblem(
            "patient/ scopes need a patient: ask for launch/patient, or launch with the EHR's launch id.",
            error="invalid_scope",
        )
    return Decision()


def _open_launch(launch_id: str, *, user: Any, application: Any) -> LaunchContext:
    launch = LaunchContext.objects.filter(launch_id=launch_id, application=application, user=user).first()
    if launch is None or launch.used_at is not None or launch.expires_at <= clock.now():
        raise LaunchProblem(
            "The launch id is unknown, used or expired, or was made for another user or app: "
            "launch the app again from the patient's page."
        )
    return launch


def _standalone(user: Any, chosen: str, search: str) -> Decision:
    candidates = patients_for(user)
    if chosen:
        patient = candidates.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) < 19 else None
        if patient is None:
            raise LaunchProblem("The chosen patient is not one you may see.", error="access_denied")
        return Decision(patient=patient)
    if not user.has_perm(VIEW_PATIENT):
        own = list(candidates[: MAX_CHOICES + 1])
        if not own:
            raise LaunchProblem("Your account is linked to no patient.", error="access_denied")
        if len(own) == 1:
            return Decision(patient=own[0])
        return Decision(must_choose=True, choices=own[:MAX_CHOICES])
    choices = list(candidates.search(search)[:MAX_CHOICES]) if search.strip() else []
    return Decision(must_choose=True, choices=choices)


@transaction.atomic
def use_launch(launch: LaunchContext) -> bool:
    """Spend a launch id as its grant is approved; False when it was spent already (a second approval)."""
    spent = LaunchContext.objects.filter(pk=launch.pk, used_at__isnull=True).update(used_at=clock.now())
    return spent == 1
