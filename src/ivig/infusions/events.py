"""Shared pieces of the flowsheet's writes: the row lock, the version check, and the event + audit pair."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ivig import clock
from ivig.audit.events import record_on
from ivig.infusions.models import InfusionEvent, InfusionSession
from ivig.lib.refusals import ActionRefused, ConflictRefused

if TYPE_CHECKING:
    from ivig.accounts.models import User

# A time typed a little ahead of the server (a device clock a minute fast) is accepted; more is a mistake.
FUTURE_SLACK = timedelta(minutes=2)
# A reading noted a little before the flowsheet was opened (taken while the device loaded it) belongs to the
# session; earlier than this before it opened, it cannot be this infusion's (hazard H-CLINICAL-TIME).
SESSION_TIME_TOLERANCE = timedelta(minutes=30)
MISSING_VERSION = (
    "This save did not say which version of the flowsheet it was made on, so it could overwrite a newer "
    "entry: it was NOT saved. Reload the page and enter it again."
)


class InfusionError(ActionRefused):
    """A flowsheet step was refused; the message says why, for the nurse at the bedside."""


class ConflictError(InfusionError, ConflictRefused):
    """Someone saved the session after this device loaded it."""

    def __init__(self, session: InfusionSession, expected: int) -> None:
        last = session.events.order_by("-recorded_at", "-id").select_related("by").first()
        who = f" ({last.by.display_name}: {last.summary})" if last is not None else ""
        super().__init__(
            f"Another device saved this session after you opened it{who}. Your entry was NOT saved; it is "
            "kept below. Check the flowsheet as it is now, then save again."
        )
        self.current_version = session.version
        self.expected_version = expected


def lock_session(session: InfusionSession) -> InfusionSession:
    return InfusionSession.objects.select_for_update().select_related("order", "patient").get(pk=session.pk)


class MissingVersionError(InfusionError, ConflictRefused):
    """A save that carried no version: it cannot be checked against newer saves, so it is refused (409)."""


def check_version(session: InfusionSession, expected: int | None) -> None:
    """Refuse a save made on an older version of the session, and one that says no version at all (a form
    posted without its hidden `version` field would otherwise skip the check and overwrite blindly)."""
    if expected is None:
        raise MissingVersionError(MISSING_VERSION)
    if expected != session.version:
        raise ConflictError(session, expected)


def opened_at(session: InfusionSession) -> datetime:
    """When the flowsheet was opened (its session_open event), on the app's clock."""
    opened = session.events.filter(kind="session_open").order_by("at").values_list("at", flat=True).first()
    known = [t for t in (opened, session.checklist_at, session.started_at) if t is not None]
    return min(known) if known else session.created_at


def check_session_time(session: InfusionSession, at: datetime, *, what: str) -> None:
    """A clinical time on the flowsheet lies inside its session: not before it opened (less
    SESSION_TIME_TOLERANCE), not after its discharge, not in the future (FUTURE_SLACK); and so within the
    patient's life."""
    opened = opened_at(session)
    if at < opened - SESSION_TIME_TOLERANCE:
        raise InfusionError(
            f"{what} {_dated(at)} is before this infusion session opened ({_dated(opened)}): "
            "enter the time it was taken during this session."
        )
    if session.discharged_at is not None and at > session.discharged_at + SESSION_TIME_TOLERANCE:
        raise InfusionError(
            f"{what} {_dated(at)} is after the patient was discharged ({_dated(session.discharged_at)})."
        )
    check_time(at, what=what)


def _dated(moment: datetime) -> str:
    try:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, ValueError):  # a year-1 time cannot move to the local zone
        return moment.strftime("%Y-%m-%d %H:%M %Z")


def check_time(at: datetime, *, not_before: datetime | None = None, what: str = "The time") -> None:
    now = clock.now()
    if at > now + FUTURE_SLACK:
        raise InfusionError(f"{what} {_local(at)} is in the future (it is {_local(now)} now).")
    if not_before is not None and at < not_before:
        raise InfusionError(f"{what} {_local(at)} is before {_local(not_before)}, the last recorded change.")


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def log(
    session: InfusionSession,
    kind: str,
    summary: str,
    *,
    by: User,
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    bump: bool = True,
) -> InfusionEvent:
    """Write the record's event and its audit row together; bump the version unless told not to."""
    event = InfusionEvent.objects.create(
        session=session, at=at, kind=kind, summary=summary[:300], by=by, recorded_at=clock.now()
    )
    record_on(
        session,
        f"infusion.{kind}",
        by,
        f"{session.order.reference} day {session.day_number}: {summary}",
        before=before,
        after={"event_id": event.pk, "at": at, **(after or {})},
    )
    if bump:
        session.version += 1
        # An event changes the infusion's record (its MedicationAdministration), so it counts as an update.
        # updated_at is an auto_now column: every save stamps it with Django's real time, so this does too.
        InfusionSession.objects.filter(pk=session.pk).update(
            version=session.version,
            updated_at=timezone.now(),  # noqa: TID251
        )
    return event


@transaction.atomic
def record_conflict(
    *, by: User, session: InfusionSession, expected_version: int, submitted: dict[str, Any]
) -> None:
    """Keep a refused save from a stale device in the record and the audit trail, so nothing is lost."""
    session = lock_session(session)
    fields = {k: v for k, v in submitted.items() if k not in {"csrfmiddlewaretoken", "version"}}
    log(
        session,
        "conflict",
        f"a save from a device holding version {expected_version} was refused (version {session.version} "
        "was current); the entry is kept in this row",
        by=by,
        at=clock.now(),
        after={"expected_version": expected_version, "current_version": session.version, "submitted": fields},
        bump=False,
    )
