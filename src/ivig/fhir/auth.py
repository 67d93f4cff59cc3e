"""Who is calling the FHIR API: `Authorization: Bearer <token>` with either token kind.

- A personal API token (``ivig_...``, ivig.fhir.tokens): its user's whole role, for scripts.
- A SMART access token (ivig.smart, django-oauth-toolkit): its user's role narrowed by its scopes and its
  launch patient (ivig.fhir.scope reads the SmartAccess riding on the user). A backend service's token acts
  as the service user registered with the app.

An unknown, expired or revoked token, or one whose user is inactive, is not authenticated (401).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from oauth2_provider.models import get_access_token_model

from ivig import clock
from ivig.fhir import registry
from ivig.fhir.scope import Forbidden, with_access
from ivig.fhir.tokens import TOKEN_PREFIX, token_for_secret
from ivig.smart.models import TokenContext
from ivig.smart.scopes import Reach, SmartAccess

# What an import (POST /fhir/) may write; a SMART token needs user/ or system/ create scopes for both.
IMPORT_TYPES = ("Patient", "Observation")


def interaction_of(request: HttpRequest) -> tuple[str, str | None]:
    """The SMART interaction of a request ("r", "s" or "c") and the resource type its path names, if any."""
    rest = request.path.split("/fhir/", 1)[-1].strip("/")
    parts = rest.split("/") if rest else []
    if any(part.startswith("$") for part in parts):
        return "s", None  # bulk export (kick-off, status, files): a search over what the token may read
    if request.method == "POST":
        return "c", None  # the transaction import
    if len(parts) == 1:
        return "s", parts[0]
    return "r", parts[0] if parts else None


def smart_token(secret: str) -> Any:
    """The live SMART access token with this value (not expired, its user active), or None."""
    checksum = hashlib.sha256(secret.encode()).hexdigest()
    token = (
        get_access_token_model()
        .objects.select_related("application", "user", "smart")
        .filter(token_checksum=checksum, expires__gt=clock.now())
        .first()
    )
    if token is None or token.user is None or not token.user.is_active or token.application is None:
        return None
    return token


class BearerToken(HttpBearer):  # the name is the OpenAPI security scheme's
    """Authorization: Bearer <token>; the request then carries the token's user and the token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if token.startswith(TOKEN_PREFIX):
            found = token_for_secret(token)
            if found is None:
                return None
            request.api_token = found  # type: ignore[attr-defined]
            return found.user
        access_token = smart_token(token)
        if access_token is None:
            return None
        interaction, resource_type = interaction_of(request)
        access = SmartAccess.from_scope(
            access_token.scope, patient_id=_launch_patient_id(access_token), interaction=interaction
        )
        _check_scopes(access, resource_type)
        # Code that notes which token was used (the export's audit event) reads a name from it.
        access_token.name = f"SMART app {access_token.application.name or access_token.application.client_id}"
        request.api_token = access_token  # type: ignore[attr-defined]
        request.smart_access = access  # type: ignore[attr-defined]
        return with_access(access_token.user, access)


def _launch_patient_id(access_token: Any) -> int | None:
    try:
        context: TokenContext = access_token.smart
    except TokenContext.DoesNotExist:
        return None
    return context.patient_id


def _check_scopes(access: SmartAccess, resource_type: str | None) -> None:
    """Refuse at once (403) a request the token's scopes cannot cover; ivig.fhir.scope narrows the rest."""
    if access.interaction == "c":
        if any(access.reach(name) is not Reach.ALL for name in IMPORT_TYPES):
            raise Forbidden(
                "Importing needs user/ or system/ create scopes for Patient and Observation "
                "(e.g. user/*.c); patient/ scopes never import."
            )
        return
    if resource_type and registry.sources(resource_type) and access.reach(resource_type) is Reach.NONE:
        verb = "reading" if access.interaction == "r" else "searching"
        raise Forbidden(f"The access token's scopes do not allow {verb} {resource_type} resources.")
