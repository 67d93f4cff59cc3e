"""Signals other apps listen to (hemovigilance opens an adverse-event report; infusions never imports it)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside `record_reaction`'s transaction once the AdverseEvent and its lots are saved.
# Arguments: event (infusions.AdverseEvent), by (the user who recorded it).
adverse_event_recorded = Signal()
