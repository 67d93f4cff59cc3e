"""Write API tokens (create, revoke) and check a presented token."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from ivig import clock
from ivig.audit.events import record
from ivig.fhir.models import ApiToken

if TYPE_CHECKING:
    from ivig.accounts.models import User

TOKEN_PREFIX = "ivig_"  # noqa: S105 - a fixed prefix that marks our tokens, not a secret
# last_used_at is written at most this often per token, so reading the API is not a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(*, by: User | None, user: Any, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns it and the secret, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError("Give the token a name, such as the system that will use it.")
    if len(name) > 80:
        raise ValidationError("Keep the token's name to 80 characters.")
    if not user.is_active:
        raise ValidationError(f"{user.get_username()} is not an active user.")
    random_part = secrets.token_urlsafe(32)
    secret = TOKEN_PREFIX + random_part
    token = ApiToken.objects.create(
        user=user,
        name=name,
        token_sha256=token_hash(secret),
        prefix=random_part[:8],
        expires_at=clock.now() + timedelta(days=settings.IVIG_API_TOKEN_DAYS),
    )
    record(
        action="fhir.token_create",
        by=by,
        target=token,
        summary=f"API token {name!r} for {user.get_username()}",
        after={
            "user": user.get_username(),
            "name": name,
            "prefix": token.prefix,
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        },
    )
    return token, secret


@transaction.atomic
def revoke_token(*, by: User | None, token: ApiToken) -> ApiToken:
    """Stop a token working at once. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    record(
        action="fhir.token_revoke",
        by=by,
        target=token,
        summary=f"API token {token.name!r} of {token.user.get_username()} revoked",
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at.isoformat()},
    )
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """Return the live token with this secret (not revoked, not expired, its user active), or None. Notes
    when it was last used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            token_sha256=token_hash(secret),
            revoked_at__isnull=True,
            expires_at__gt=clock.now(),
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
