"""The domain audit trail: one row for every write an action makes. Rows are never changed or deleted.

Rows hold no foreign keys, only ids and names copied at the time, so deleting a user or a patient can never
remove or alter the record of what they did.
"""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class ImmutableRowError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableRowError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRowError("audit events cannot be deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=80, db_index=True)  # "patient.create", "patient.weight_change"
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True, db_index=True)
    target_type = models.CharField(max_length=80)  # "patients.Patient"
    target_id = models.CharField(max_length=64, blank=True)
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    patient_mrn = models.CharField(max_length=32, blank=True, db_index=True)
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient_id", "-at"]), models.Index(fields=["actor_id", "-at"])]

    def __str__(self) -> str:
        target = f"{self.target_type}#{self.target_id}"
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableRowError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRowError("audit events cannot be deleted")

    @property
    def action_label(self) -> str:
        from ivig.audit.labels import action_label

        return action_label(self.action)

    def changes(self) -> list[tuple[str, Any, Any]]:
        """Return (field, before, after) for every field whose value differs."""
        keys = sorted(set(self.before) | set(self.after))
        return [
            (key, self.before.get(key), self.after.get(key))
            for key in keys
            if self.before.get(key) != self.after.get(key)
        ]


class FormToken(models.Model):
    """A one-time form token that has been used, and where its first submit led.

    The token is rendered into the form as a random string (nothing is stored until it comes back); the
    row is written in the same transaction as the record the form makes, so a second submit of the same
    token (back and resubmit, a double click) finds it and is sent to what the first made.
    See `ivig.audit.once`.
    """

    key = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user_id = models.BigIntegerField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    result_url = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.key[:8]}… used {self.used_at:%Y-%m-%d %H:%M} on {self.path}"
