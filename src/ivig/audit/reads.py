"""Reads of patient data are audit events too: who opened a patient's chart, printed an order sheet, or took
patients' names away in an export (issue 22). The FHIR API's reads are written by ``ivig.fhir.access_log``
in the same style.

As in IHE Basic Audit Log Patterns (BALP), one row per patient the read was about, so a patient's audit page
shows who looked at their record, and one row with no patient when it was about no one (an empty export).
All rows go in one INSERT, whatever the number of patients.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from ivig.audit.models import AuditEvent

if TYPE_CHECKING:
    from ivig.accounts.models import User


def record_read(
    *,
    action: str,
    by: User,
    request: HttpRequest | None = None,
    target_type: str,
    target_id: str = "",
    patients: Iterable[tuple[int, str]] = (),
    summary: str,
    details: dict[str, Any] | None = None,
) -> list[AuditEvent]:
    """Note that `by` read (or exported) data about `patients`, given as (patient id, MRN) pairs.

    `target_type` names what was read ("patients.Patient", "orders.TherapyOrder", "hemovigilance.Lookback");
    the request's path and address go in the details, as the FHIR API's reads keep them.
    """
    about: list[tuple[int, str] | None] = [*dict.fromkeys(patients)] or [None]
    after = dict(details or {})
    if request is not None:
        after |= {"request": request.get_full_path(), "address": request.META.get("REMOTE_ADDR", "")}
    actor_id = getattr(by, "pk", None)
    rows = [
        AuditEvent(
            action=action,
            actor_id=actor_id,
            actor_username=by.get_username() if actor_id is not None else "system",
            target_type=target_type,
            target_id=str(target_id)[:64],
            patient_id=patient[0] if patient else None,
            patient_mrn=patient[1] if patient else "",
            summary=summary[:300],
            after=after,
        )
        for patient in about
    ]
    return AuditEvent.objects.bulk_create(rows)
