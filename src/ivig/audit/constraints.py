"""Database rules shared by the apps' models."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


def both_or_neither(first: str, second: str, *, name: str) -> models.CheckConstraint:
    """Two fields are set together or not at all (a database CheckConstraint)."""
    return models.CheckConstraint(
        condition=Q(**{f"{first}__isnull": True, f"{second}__isnull": True})
        | Q(**{f"{first}__isnull": False, f"{second}__isnull": False}),
        name=name,
    )


def paired(prefix: str, who: str, when: str) -> models.CheckConstraint:
    """Who did it and when are set together or not at all."""
    return both_or_neither(who, when, name=f"{prefix}_{who}_with_{when}")
