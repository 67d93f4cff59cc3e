"""Portal accounts: which patients a patient or family account may see, and the invitations that link them."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models

from ivig.audit.constraints import paired
from ivig.patients.models import Patient

USER = settings.AUTH_USER_MODEL
INVITATION_DAYS = 7  # site decision: how long an invitation link stays valid (no source sets it)


class PortalLink(models.Model):
    """A portal account may see this patient. A parent may hold several; a patient several accounts."""

    class Relationship(models.TextChoices):
        SELF = "self", "The patient"
        PARENT = "parent", "Parent or guardian"
        FAMILY = "family", "Other family member or carer"

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="portal_links")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="portal_links")
    relationship = models.CharField(max_length=10, choices=Relationship.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["patient__given_name"]
        constraints = [models.UniqueConstraint(fields=["user", "patient"], name="portallink_once")]

    def __str__(self) -> str:
        return f"{self.user} sees {self.patient}"


class Invitation(models.Model):
    """A single-use, expiring link that creates (or signs in) a portal account and links it to a patient.

    Only a hash of the token is stored: the link itself is shown once, to the staff member who made it.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="invitations")
    relationship = models.CharField(max_length=10, choices=PortalLink.Relationship.choices)
    email = models.EmailField()
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    used_at = models.DateTimeField(null=True, blank=True)
    # Withdrawn before use (sent to the wrong address, no longer wanted): the link stops working.
    revoked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("invite_portal_user", "Can invite a patient or family member to the portal")]
        constraints = [paired("invitation", "used_by", "used_at")]

    def __str__(self) -> str:
        return f"Invitation for {self.patient} ({self.email})"

    def usable_at(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at


class PortalMessage(models.Model):
    """A message from the care team, shown on the family's portal home (a product change, for example)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="portal_messages")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [paired("portalmessage", "read_by", "read_at")]

    def __str__(self) -> str:
        return f"Message for {self.patient}: {self.subject}"
