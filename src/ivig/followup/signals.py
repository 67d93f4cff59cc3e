"""Signals other apps listen to (hemovigilance opens an adverse-event report; follow-up never imports it)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside `record_contact`'s transaction once a confirmed DiaryReaction and its lots are saved.
# Arguments: reaction (followup.DiaryReaction), by (the user who confirmed it).
diary_reaction_confirmed = Signal()
