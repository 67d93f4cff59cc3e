"""Abstract bases that models in several apps share (abstract only: lib has no tables of its own)."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models


class LastUpdated(models.Model):
    """A record that FHIR serves as a resource: `updated_at` is its last change.

    FHIR meta.lastUpdated, the `_lastUpdated` search parameter and bulk export's `_since` all read it, hence
    the index.
    """

    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class RecordedBy(models.Model):
    """A clinical entry someone made: who and when. It outlives the account (`recorded_by` then empty)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class SingleRow(models.Model):
    """A table of one row (pk 1), like the site settings: `load()` reads it, made with the defaults at first.

    Each table also keeps a CheckConstraint `pk=1` in its own Meta (under its own name), so the database
    refuses a second row too.
    """

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> Self:
        row, _ = cls._default_manager.get_or_create(pk=1)
        return row
