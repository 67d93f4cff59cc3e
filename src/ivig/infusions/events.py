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


def check_version(session: InfusionSession, expected: int | None) -> None:
    if expected is not None and expected != session.version:
        raise ConflictError(session, expected)


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
