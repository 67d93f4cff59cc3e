"""Write portal access: invitations (single use, expiring) and the links they make."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from ivig import clock
from ivig.accounts.roles import Patient as PatientRole
from ivig.audit.events import record
from ivig.lib.refusals import ActionRefused
from ivig.patients.models import Patient
from ivig.portal.models import INVITATION_DAYS, Invitation, PortalLink, PortalMessage

if TYPE_CHECKING:
    from ivig.accounts.models import User


class PortalError(ActionRefused):
    """An invitation could not be made or used; nothing was saved."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_invitation(*, by: User, patient: Patient, email: str, relationship: str) -> tuple[Invitation, str]:
    """Make an invitation; returns it and the secret token (shown once, never stored)."""
    if relationship not in PortalLink.Relationship.values:
        raise PortalError("Choose who the invitation is for.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        patient=patient,
        email=email,
        relationship=relationship,
        token_sha256=token_hash(token),
        created_by=by,
        expires_at=clock.now() + timedelta(days=INVITATION_DAYS),
    )
    record(
        action="portal.invite",
        by=by,
        target=invitation,
        patient=patient,
        summary=f"Portal invitation for {email} ({invitation.get_relationship_display()})",
        after={"email": email, "relationship": relationship, "expires_at": invitation.expires_at.isoformat()},
    )
    return invitation, token


def usable_invitation(token: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("patient").filter(token_sha256=token_hash(token)).first()
    if invitation is None or not invitation.usable_at(clock.now()):
        return None
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, user: Any = None, username: str = "", password: str = "") -> Any:
    """Use an invitation: link `user` (signed in) or a new account to the patient. Single use."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("patient")
        .filter(token_sha256=token_hash(token))
    ).first()
    if invitation is None or not invitation.usable_at(clock.now()):
        raise PortalError(
            "This invitation link has expired or has already been used. Ask the care team for a new one."
        )
    if user is None:
        user_model = get_user_model()
        if user_model.objects.filter(username__iexact=username).exists():
            raise PortalError("That username is taken. Please choose another.")
        # Every validator, the username and e-mail similarity one too: it needs the (unsaved) user.
        try:
            validate_password(password, user=user_model(username=username, email=invitation.email))
        except ValidationError as error:
            raise PortalError(" ".join(error.messages)) from error
        user = user_model.objects.create_user(username=username, password=password, email=invitation.email)
        user.groups.add(Group.objects.get(name=PatientRole.name))
    elif user.has_perm("patients.view_patient") or not user.has_perm("patients.view_own_record"):
        raise PortalError("Staff accounts cannot accept a portal invitation. Sign out first.")
    PortalLink.objects.get_or_create(
        user=user, patient=invitation.patient, defaults={"relationship": invitation.relationship}
    )
    invitation.used_by, invitation.used_at = user, clock.now()
    invitation.save(update_fields=["used_by", "used_at"])
    record(
        action="portal.link",
        by=user,
        target=invitation,
        patient=invitation.patient,
        summary=f"Portal account {user.get_username()} linked by invitation",
        after={"user_id": user.pk, "relationship": invitation.relationship},
    )
    return user


@transaction.atomic
def revoke_invitation(*, by: User, invitation: Invitation) -> Invitation:
    """Withdraw an unused invitation: its link stops working at once."""
    invitation = Invitation.objects.select_for_update().select_related("patient").get(pk=invitation.pk)
    if invitation.used_at is not None:
        raise ActionRefused("This invitation has already been used: it cannot be revoked.")
    if invitation.revoked_at is not None:
        raise ActionRefused("This invitation has already been revoked.")
    invitation.revoked_by, invitation.revoked_at = by, clock.now()
    invitation.save(update_fields=["revoked_by", "revoked_at"])
    record(
        action="portal.invitation_revoke",
        by=by,
        target=invitation,
        patient=invitation.patient,
        summary=f"Portal invitation for {invitation.email} revoked",
        after={"email": invitation.email, "revoked_at": invitation.revoked_at.isoformat()},
    )
    return invitation


@transaction.atomic
def post_message(*, by: User, patient: Patient, subject: str, body: str) -> PortalMessage:
    """Leave a message from the care team on the patient's portal home (every linked account sees it)."""
    if not subject.strip() or not body.strip():
        raise PortalError("A message needs a subject and a text.")
    message = PortalMessage.objects.create(
        patient=patient, subject=subject.strip()[:200], body=body.strip(), created_by=by
    )
    record(
        action="portal.message",
        by=by,
        target=message,
        patient=patient,
        summary=f"Portal message: {message.subject}",
        after={"subject": message.subject},
    )
    return message


@transaction.atomic
def mark_read(*, by: User, message: PortalMessage) -> PortalMessage:
    """The family has read the message; the first reader is kept."""
    message = PortalMessage.objects.select_for_update().get(pk=message.pk)
    if message.read_at is None:
        message.read_by, message.read_at = by, clock.now()
        message.save(update_fields=["read_by", "read_at"])
        record(
            action="portal.message_read",
            by=by,
            target=message,
            patient=message.patient,
            summary=f"Portal message read: {message.subject}",
        )
    return message
