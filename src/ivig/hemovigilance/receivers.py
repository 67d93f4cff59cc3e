"""Open an adverse-event report whenever the flowsheet or the follow-up records a reaction.

The signals are sent inside the recording transaction, so the report commits (or rolls back) with it.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from ivig.followup.signals import diary_reaction_confirmed
from ivig.hemovigilance import actions
from ivig.infusions.signals import adverse_event_recorded


@receiver(adverse_event_recorded, dispatch_uid="hemovigilance.flowsheet_report")
def _flowsheet_event(sender: Any, *, event: Any, by: Any, **kwargs: Any) -> None:
    actions.open_report_for_flowsheet_event(by=by, event=event)


@receiver(diary_reaction_confirmed, dispatch_uid="hemovigilance.diary_report")
def _diary_reaction(sender: Any, *, reaction: Any, by: Any, **kwargs: Any) -> None:
    actions.open_report_for_diary_reaction(by=by, reaction=reaction)
