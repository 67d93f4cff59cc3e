"""Events other apps announce and the audit trail records (apps beside audit cannot import it)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from ivig.accounts.two_factor import two_factor_event
from ivig.audit.events import record


@receiver(two_factor_event)
def record_two_factor_step(
    sender: Any, *, action: str, by: Any, user: Any, summary: str, after: dict[str, Any], **kwargs: Any
) -> None:
    record(action=action, by=by, target=user, summary=summary, after=after)
