"""private_key_jwt client authentication (SMART Backend Services, RFC 7523): check a signed client assertion.

The client signs a short-lived JWT with its private key (RS384 or ES384); we hold its public keys
(SmartClient.jwks). The assertion must name the client as iss and sub, the token endpoint as aud, expire
within five minutes, and carry a jti never seen before (kept until the assertion expires).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from jwcrypto import jwk, jws
from jwcrypto.common import JWException
from oauth2_provider.models import get_application_model

from ivig import clock
from ivig.smart.models import SIGNING_ALGORITHMS, SmartClient, UsedAssertion, public_key_set

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
MAX_LIFETIME = timedelta(minutes=5)
# Clocks differ a little between the client and us: this much is forgiven on the "not too far ahead" side.
CLOCK_SKEW = timedelta(seconds=30)


class InvalidAssertion(ValueError):
    """The client assertion does not authenticate the client; the message says why."""


def authenticate(assertion: str, *, token_url: str, client_id: str | None = None) -> Any:
    """The Application the assertion authenticates; InvalidAssertion otherwise. Records its jti."""
    header, claims, signed = _parse(assertion)
    alg = header.get("alg")
    if alg not in SIGNING_ALGORITHMS:
        raise InvalidAssertion(f"Sign the client assertion with {' or '.join(SIGNING_ALGORITHMS)}.")
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or not issuer or claims.get("sub") != issuer:
        raise InvalidAssertion("The client assertion's iss and sub must both be the client_id.")
    if client_id and client_id != issuer:
        raise InvalidAssertion("The client assertion's iss is not the client_id sent.")
    application = get_application_model().objects.filter(client_id=issuer).first()
    smart = SmartClient.objects.filter(application=application).first() if application else None
    if application is None or smart is None or not smart.jwks:
        raise InvalidAssertion("No public keys are registered for this client.")
    _verify_signature(signed, smart.jwks, header.get("kid"), alg)
    _check_audience(claims.get("aud"), token_url)
    expires = _check_lifetime(claims)
    _use_once(issuer, claims.get("jti"), expires)
    return application


def _parse(assertion: str) -> tuple[dict[str, Any], dict[str, Any], jws.JWS]:
    signed = jws.JWS()
    try:
        signed.deserialize(assertion)
        header = signed.jose_header
        claims = json.loads(signed.objects["payload"])
    except (JWException, ValueError, KeyError, TypeError):
        raise InvalidAssertion("The client assertion is not a signed JWT.") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise InvalidAssertion("The client assertion is not a signed JWT.")
    return header, claims, signed


def _verify_signature(signed: jws.JWS, jwks: Any, kid: Any, alg: str) -> None:
    try:
        keys = public_key_set(jwks)
    except ValidationError:
        raise InvalidAssertion("The client's registered key set is not usable.") from None
    candidates: list[jwk.JWK] = list(keys["keys"])
    if kid is not None:
        candidates = [key for key in candidates if key.get("kid") == kid]
    for key in candidates:
        try:
            signed.verify(key, alg=alg)
        except JWException:
            continue
        return
    raise InvalidAssertion("The client assertion's signature does not match a registered key.")


def _check_audience(audience: Any, token_url: str) -> None:
    values = audience if isinstance(audience, list) else [audience]
    if not any(isinstance(value, str) and value.rstrip("/") == token_url.rstrip("/") for value in values):
        raise InvalidAssertion(f"The client assertion's aud must be the token endpoint, {token_url}.")


def _check_lifetime(claims: dict[str, Any]) -> datetime:
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise InvalidAssertion("The client assertion needs exp (seconds since the epoch).")
    try:
        expires = datetime.fromtimestamp(exp, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise InvalidAssertion("The client assertion's exp is not a time.") from None
    now = clock.now()
    if expires <= now:
        raise InvalidAssertion("The client assertion has expired.")
    if expires > now + MAX_LIFETIME + CLOCK_SKEW:
        raise InvalidAssertion("The client assertion's exp must be at most five minutes ahead.")
    nbf = claims.get("nbf")
    if isinstance(nbf, int | float) and datetime.fromtimestamp(nbf, tz=UTC) > now + CLOCK_SKEW:
        raise InvalidAssertion("The client assertion is not valid yet (nbf).")
    return expires


def _use_once(client_id: str, jti: Any, expires: datetime) -> None:
    if not isinstance(jti, str) or not jti or len(jti) > 255:
        raise InvalidAssertion("The client assertion needs a jti of at most 255 characters.")
    UsedAssertion.objects.filter(expires_at__lt=clock.now()).delete()
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(client_id=client_id, jti=jti, expires_at=expires)
    except IntegrityError:
        raise InvalidAssertion("This client assertion (jti) was used already.") from None
