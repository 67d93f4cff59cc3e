"""Database rules shared by the apps' models."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


def paired(prefix: str, who: str, when: str) -> models.CheckConstraint:
    """Who did it and when are set together or not at all (a database CheckConstraint)."""
    return models.CheckConstraint(
        condition=Q(**{f"{who}__isnull": True, f"{when}__isnull": True})
        | Q(**{f"{who}__isnull": False, f"{when}__isnull": False}),
        name=f"{prefix}_{who}_with_{when}",
    )
