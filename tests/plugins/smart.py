"""SMART helpers for the tests: register apps, run the authorization code + PKCE flow as a browser and an
app would, sign client assertions, mint access tokens directly."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from jwcrypto import jwk, jwt

REDIRECT_URI = "https://app.example.org/callback"
FHIR_BASE = "http://testserver/fhir"
TOKEN_URL = "http://testserver/oauth/token"


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@pytest.fixture
def make_app(db: None) -> Callable[..., Any]:
    """Register an OAuth application with its SMART settings (as an Admin does in the admin)."""
    from oauth2_provider.models import get_application_model

    from ivig.smart.models import SmartClient

    def make(
        name: str = "Growth chart",
        *,
        client_type: str = "public",
        grant: str = "authorization-code",
        secret: str = "",
        launch_url: str = "",
        jwks: dict[str, Any] | None = None,
        service_user: Any = None,
    ) -> Any:
        fields: dict[str, Any] = {
            "name": name,
            "client_type": client_type,
            "authorization_grant_type": grant,
            "redirect_uris": REDIRECT_URI if grant == "authorization-code" else "",
        }
        if secret:
            fields["client_secret"] = secret
        app = get_application_model().objects.create(**fields)
        SmartClient.objects.create(
            application=app, launch_url=launch_url, jwks=jwks or {}, service_user=service_user
        )
        return app

    return make


@pytest.fixture
def authorize(client: Any) -> Callable[..., dict[str, Any]]:
    """Drive /oauth/authorize as the signed-in browser: GET the consent page, then allow (or not).

    Returns {"consent": the GET response, "response": the POST response, "code", "verifier", "state",
    "post_url" and "data" (to post the consent again)}.
    """

    def run(
        app: Any,
        scope: str,
        *,
        launch: str = "",
        patient: Any = None,
        allow: bool = True,
        challenge_method: str = "S256",
        aud: str = FHIR_BASE,
        extra: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(8)
        params = {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": scope,
            "state": state,
            "aud": aud,
            "code_challenge": challenge if challenge_method == "S256" else verifier,
            "code_challenge_method": challenge_method,
        }
        if launch:
            params["launch"] = launch
        params.update(extra or {})
        url = reverse("smart:authorize")
        consent = client.get(url, params)
        result: dict[str, Any] = {"consent": consent, "verifier": verifier, "state": state, "code": None}
        if consent.status_code != 200:
            return result
        form = consent.context["form"]
        data = {
            name: value
            for name in form.fields
            if name != "allow" and (value := form[name].value()) not in (None, "")
        }
        if patient is not None:
            data["patient"] = str(patient.pk)
        if allow:
            data["allow"] = "on"
        post_url = f"{url}?{consent.request['QUERY_STRING']}"
        response = client.post(post_url, data)
        result.update(response=response, post_url=post_url, data=data)
        if response.status_code == 302 and response.url.startswith(REDIRECT_URI):
            result["code"] = query_of(response.url).get("code")
        return result

    return run


@pytest.fixture
def exchange(client: Any) -> Callable[..., Any]:
    """POST the token endpoint for an authorization code; returns the response with .data (its JSON)."""

    def run(app: Any, code: str, verifier: str, headers: dict[str, str] | None = None, **extra: str) -> Any:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": app.client_id,
            "code_verifier": verifier,
            **extra,
        }
        response = client.post(reverse("smart:token"), data, **(headers or {}))
        response.data = json.loads(response.content)
        return response

    return run


def rsa_key(kid: str = "key-1") -> jwk.JWK:
    return jwk.JWK.generate(kty="RSA", size=2048, kid=kid)


def ec_key(kid: str = "ec-1") -> jwk.JWK:
    return jwk.JWK.generate(kty="EC", crv="P-384", kid=kid)


def public_jwks(*keys: jwk.JWK) -> dict[str, Any]:
    return {"keys": [json.loads(key.export_public()) for key in keys]}


def client_assertion(
    key: jwk.JWK,
    client_id: str,
    *,
    aud: str = TOKEN_URL,
    lifetime: int = 240,
    jti: str | None = None,
    alg: str | None = None,
    issuer: str | None = None,
) -> str:
    """A signed client assertion as a backend service makes it (SMART Backend Services)."""
    alg = alg or ("RS384" if key.get("kty") == "RSA" else "ES384")
    claims = {
        "iss": issuer or client_id,
        "sub": client_id,
        "aud": aud,
        "exp": int(time.time()) + lifetime,
        "jti": jti or str(uuid.uuid4()),
    }
    token = jwt.JWT(header={"alg": alg, "kid": key.get("kid"), "typ": "JWT"}, claims=claims)
    token.make_signed_token(key)
    return token.serialize()


@pytest.fixture
def backend_token(client: Any) -> Callable[..., Any]:
    """POST the token endpoint with client credentials and a client assertion; response with .data."""

    def run(assertion: str, scope: str = "system/*.rs", **extra: str) -> Any:
        data = {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            **extra,
        }
        response = client.post(reverse("smart:token"), data)
        response.data = json.loads(response.content)
        return response

    return run


@pytest.fixture
def smart_token(make_app: Callable[..., Any]) -> Callable[..., str]:
    """Mint a SMART access token directly (what the flows produce), for tests of what a token may read."""
    from oauth2_provider.models import get_access_token_model, set_token_value

    from ivig.smart.models import TokenContext

    def make(user: Any, scope: str, *, patient: Any = None, expires_in: int = 3600) -> str:
        value = secrets.token_urlsafe(30)
        token = get_access_token_model()(
            user=user,
            application=make_app(f"App {value[:6]}"),
            scope=scope,
            expires=timezone.now() + timedelta(seconds=expires_in),
        )
        set_token_value(token, value)
        token.save()
        if patient is not None:
            TokenContext.objects.create(access_token=token, patient=patient)
        return value

    return make
