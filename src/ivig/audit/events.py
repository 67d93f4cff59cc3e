"""Write audit events.

Actions call `record` inside their transaction, so the event and the change commit together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from ivig.audit.models import AuditEvent

if TYPE_CHECKING:
    from ivig.accounts.models import User


def record(
    *,
    action: str,
    by: User | None,  # None: the system (a scheduled task, a command run without a user)
    target: models.Model,
    patient: Any = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    actor_id = getattr(by, "pk", None)
    return AuditEvent.objects.create(
        action=action,
        actor_id=actor_id,
        actor_username=by.get_username() if by is not None and actor_id is not None else "system",
        target_type=target._meta.label,
        target_id=str(target.pk),
        patient_id=getattr(patient, "pk", None),
        patient_mrn=getattr(patient, "mrn", "") or "",
        summary=summary[:300],
        before=before or {},
        after=after or {},
    )


def record_on(target: Any, action: str, by: User | None, summary: str, **extra: Any) -> AuditEvent:
    """`record` an event on one patient's record (`target.patient`, as appointments and infusions have)."""
    return record(action=action, by=by, target=target, patient=target.patient, summary=summary, **extra)
