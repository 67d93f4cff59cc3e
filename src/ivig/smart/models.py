"""What SMART adds to django-oauth-toolkit's applications, grants and tokens.

- SmartClient: per registered app, its launch URL (EHR launch), its public keys (JWKS, for private_key_jwt)
  and, for a backend service, the service user whose role its tokens act with.
- LaunchContext: an EHR launch id a staff user minted for one patient and one app.
- GrantContext / TokenContext: the patient an authorization code and an access token are limited to.
- UsedAssertion: client assertion ids (jti) already used, kept until the assertion expires.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from jwcrypto import jwk
from jwcrypto.common import JWException

# Backend Services: client assertions are signed RS384 or ES384; their keys are RSA or EC P-384.
SIGNING_ALGORITHMS = ("RS384", "ES384")


def public_key_set(value: Any) -> jwk.JWKSet:
    """The JWKS as a jwcrypto key set; ValidationError unless it holds only RSA or EC P-384 public keys."""
    try:
        keys = jwk.JWKSet.from_json(json.dumps(value))
    except (JWException, ValueError, TypeError) as error:
        raise ValidationError(f"Not a JSON Web Key Set: {error}") from None
    if not keys["keys"]:
        raise ValidationError("The key set holds no keys.")
    for key in keys["keys"]:
        if key.has_private:
            raise ValidationError("Register public keys only: a key in the set holds its private part.")
        if key.get("kty") == "EC" and key.get("crv") != "P-384":
            raise ValidationError("EC keys must be on curve P-384 (ES384).")
        if key.get("kty") not in ("RSA", "EC"):
            raise ValidationError("Keys must be RSA (RS384) or EC P-384 (ES384).")
    return keys


class SmartClient(models.Model):
    """SMART details of one OAuth application (registered in the Django admin)."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="smart"
    )
    launch_url = models.URLField(
        blank=True, help_text="EHR launch: “Launch app” opens this URL with iss and launch parameters."
    )
    jwks = models.JSONField(
        default=dict,
        blank=True,
        help_text="Public keys (a JSON Web Key Set) for private_key_jwt client authentication.",
    )
    service_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="smart_services",
        help_text="Backend services (client credentials) act as this user, with its role.",
    )

    def __str__(self) -> str:
        return f"SMART settings of {self.application}"

    def clean(self) -> None:
        if self.jwks:
            public_key_set(self.jwks)


class LaunchContext(models.Model):
    """An EHR launch: a staff user opened an app for a patient; the app passes launch_id back to us."""

    launch_id = models.CharField(max_length=64, unique=True)
    application = models.ForeignKey("oauth2_provider.Application", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Launch of {self.application} for patient {self.patient_id}"


class GrantContext(models.Model):
    """The patient an authorization code was approved for (deleted with the code)."""

    grant = models.OneToOneField("oauth2_provider.Grant", on_delete=models.CASCADE, related_name="smart")
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"Patient {self.patient_id} for grant {self.grant_id}"


class TokenContext(models.Model):
    """The patient an access token's patient/ scopes are limited to."""

    access_token = models.OneToOneField(
        "oauth2_provider.AccessToken", on_delete=models.CASCADE, related_name="smart"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"Patient {self.patient_id} for access token {self.access_token_id}"


class UsedAssertion(models.Model):
    """A client assertion's jti, kept until its exp so the same assertion cannot be replayed."""

    client_id = models.CharField(max_length=100)
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client_id", "jti"], name="smart_assertion_once")]

    def __str__(self) -> str:
        return f"Assertion {self.jti} of {self.client_id}"
