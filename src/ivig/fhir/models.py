"""API tokens (several per user, each named, revocable, stored only as a hash) and bulk export jobs."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from ivig import clock


class ApiToken(models.Model):
    """A bearer token for the FHIR API. It acts as its user, with the user's role limits.

    Only the SHA-256 of the secret is kept: the secret itself is shown once, when the token is made.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    token_sha256 = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)  # the first characters, so a user can tell tokens apart
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Set when made (IVIG_API_TOKEN_DAYS ahead); a token past it is refused like a revoked one.
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="apitoken_name_not_blank")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def expired_at(self, now: datetime) -> bool:
        return self.expires_at is None or now >= self.expires_at


class ExportJob(models.Model):
    """A FHIR Bulk Data export (ivig.fhir.bulk): asked for over the API, run by the background worker.

    The id is random (uuid4): it is the status URL, which only its user (or an Admin) may poll. The files
    live in settings.IVIG_BULK_EXPORT_DIR/<id>/ until `expires_at`; the row stays as a record.
    """

    class Level(models.TextChoices):
        SYSTEM = "system", "System"
        PATIENT = "patient", "All patients"
        GROUP = "group", "Group of patients"

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Waiting for the worker"
        RUNNING = "running", "Running"
        COMPLETE = "complete", "Complete"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        DELETED = "deleted", "Deleted by its client"
        EXPIRED = "expired", "Expired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    client = models.CharField(max_length=200, blank=True)  # the token or SMART app it came with, for people
    # A SMART token's scopes and launch patient (SmartAccess.to_dict), so the worker reads within them too.
    smart_access = models.JSONField(null=True, blank=True)
    level = models.CharField(max_length=10, choices=Level.choices)
    group_id = models.CharField(max_length=64, blank=True)  # the Group's FHIR id, for a group export
    request_url = models.TextField()
    types = models.JSONField(default=list)  # the resource types to export, in order
    since = models.DateTimeField(null=True, blank=True)
    type_filters = models.JSONField(default=dict)  # {"Observation": ["code=...", ...]}: FHIR search queries
    notes = models.JSONField(default=list)  # what was ignored under Prefer: handling=lenient
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    progress = models.CharField(max_length=100, blank=True)  # the X-Progress header while running
    created_at = models.DateTimeField(default=clock.now)
    started_at = models.DateTimeField(null=True, blank=True)
    transaction_time = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    output = models.JSONField(default=list)  # [{"type": "Patient", "file": "Patient-1.ndjson", "count": 12}]
    errors = models.JSONField(default=list)  # OperationOutcome files, same shape
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"], name="exportjob_status_expiry")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} export {self.pk} ({self.status})"
