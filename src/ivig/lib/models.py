"""Abstract bases that models in several apps share (abstract only: lib has no tables of its own)."""

from __future__ import annotations

import copy
import threading
from typing import Any, Self

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import models

# Single rows read during the current request, by class: a page may ask for the site settings five times
# (menu, banners, limits), and each would be a query. Only inside a request: a worker or a command sees a
# change at once. A save of the row drops it.
_within_request = threading.local()


def _start_request(**_kwargs: Any) -> None:
    _within_request.rows = {}


def _end_request(**_kwargs: Any) -> None:
    _within_request.rows = None


request_started.connect(_start_request, dispatch_uid="ivig.lib.models.single_rows_start")
request_finished.connect(_end_request, dispatch_uid="ivig.lib.models.single_rows_end")


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
        rows = getattr(_within_request, "rows", None)
        if rows is not None:
            rows.pop(type(self), None)
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> Self:
        rows: dict[type[SingleRow], SingleRow] | None = getattr(_within_request, "rows", None)
        if rows is None:
            row, _ = cls._default_manager.get_or_create(pk=1)
            return row
        if cls not in rows:
            rows[cls] = cls._default_manager.get_or_create(pk=1)[0]
        # A copy each time: a form bound to one may change its fields before it fails to validate.
        return copy.copy(rows[cls])  # type: ignore[return-value]
