"""Who may see which patient through the portal: the accounts linked to a patient (a portal link or the
original one-to-one link). Here, below portal and followup, so both can ask (diary reminders e-mail them)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from ivig.patients.models import Patient


def portal_users(patient: Patient) -> Any:
    """Active accounts that see this patient through the portal (the original link or a portal link)."""
    user_model = get_user_model()
    return user_model.objects.filter(
        Q(patient_record=patient) | Q(portal_links__patient=patient), is_active=True
    ).distinct()


def portal_emails(patient: Patient) -> list[str]:
    return sorted({user.email for user in portal_users(patient) if user.email})
