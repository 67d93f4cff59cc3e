"""django-oauth-toolkit customised for SMART App Launch 2 and Backend Services (settings.OAUTH2_PROVIDER).

- SmartServer: only the authorization code (PKCE S256 only: "plain" is refused), client credentials and
  refresh token grants; a backend service's token lives IVIG_SMART_BACKEND_TOKEN_SECONDS, others
  IVIG_SMART_ACCESS_TOKEN_SECONDS.
- SmartValidator: SMART scopes (ivig.smart.scopes), private_key_jwt client authentication
  (ivig.smart.assertions), the patient context carried from the consent to the code to the token (and its
  refreshes), refresh tokens only for offline_access, backend tokens acting as the client's service user,
  and an audit event per token issued.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from oauth2_provider.models import get_access_token_model, get_grant_model
from oauth2_provider.oauth2_backends import OAuthLibCore
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2 import (
    AuthorizationEndpoint,
    BearerToken,
    ResourceEndpoint,
    RevocationEndpoint,
    TokenEndpoint,
)
from oauthlib.oauth2.rfc6749 import errors
from oauthlib.oauth2.rfc6749.grant_types import (
    AuthorizationCodeGrant,
    ClientCredentialsGrant,
    RefreshTokenGrant,
)
from oauthlib.oauth2.rfc6749.grant_types.authorization_code import code_challenge_method_s256

from ivig.audit.events import record
from ivig.lib.addresses import request_base
from ivig.patients.models import Patient
from ivig.smart import assertions
from ivig.smart.models import GrantContext, SmartClient, TokenContext
from ivig.smart.scopes import OFFLINE_ACCESS, ScopeError, describe, grantable, parse_resource_scope

logger = logging.getLogger(__name__)
CLIENT_CREDENTIALS = "client_credentials"
# The absolute URL of the request (under IVIG_PUBLIC_URL when set, as discovery gives it), which oauthlib's
# request lacks (it has the path); a META key without the HTTP_ prefix, so no client header can set it.
REQUEST_URL = "IVIG_REQUEST_URL"


def token_lifetime(request: Any) -> int:
    if request.grant_type == CLIENT_CREDENTIALS:
        return int(settings.IVIG_SMART_BACKEND_TOKEN_SECONDS)
    return int(settings.IVIG_SMART_ACCESS_TOKEN_SECONDS)


class SmartServer(AuthorizationEndpoint, TokenEndpoint, ResourceEndpoint, RevocationEndpoint):  # type: ignore[misc]
    """oauthlib's all-in-one server cut down to what SMART uses, with PKCE S256 only."""

    def __init__(
        self,
        request_validator: Any,
        token_expires_in: Any = None,
        token_generator: Any = None,
        refresh_token_generator: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        self.auth_grant = AuthorizationCodeGrant(request_validator)
        # SMART App Launch 2: "plain" SHALL NOT be supported; a request without a method defaults to plain.
        self.auth_grant._code_challenge_methods = {"S256": code_challenge_method_s256}
        self.credentials_grant = ClientCredentialsGrant(request_validator)
        self.refresh_grant = RefreshTokenGrant(request_validator)
        self.bearer = BearerToken(request_validator, token_generator, token_lifetime, refresh_token_generator)
        AuthorizationEndpoint.__init__(
            self,
            default_response_type="code",
            response_types={"code": self.auth_grant},
            default_token_type=self.bearer,
        )
        TokenEndpoint.__init__(
            self,
            default_grant_type="authorization_code",
            grant_types={
                "authorization_code": self.auth_grant,
                CLIENT_CREDENTIALS: self.credentials_grant,
                "refresh_token": self.refresh_grant,
            },
            default_token_type=self.bearer,
        )
        ResourceEndpoint.__init__(self, default_token="Bearer", token_types={"Bearer": self.bearer})  # noqa: S106
        RevocationEndpoint.__init__(self, request_validator)


class SmartOAuthLibCore(OAuthLibCore):  # type: ignore[misc]  # django-oauth-toolkit is untyped
    """Hands oauthlib the request's absolute URL (a client assertion's aud must be the token endpoint)."""

    def extract_headers(self, request: Any) -> dict[str, Any]:
        headers: dict[str, Any] = super().extract_headers(request)
        headers[REQUEST_URL] = request_base(request, request.path)
        return headers


class DescribedScopes(dict[str, str]):
    """Every SMART scope with its description, whatever the resource type (the consent page lists them)."""

    def __missing__(self, key: str) -> str:
        return describe(key)


class SmartScopes(BaseScopes):  # type: ignore[misc]  # django-oauth-toolkit is untyped
    def get_all_scopes(self) -> DescribedScopes:
        return DescribedScopes()

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return [str(name) for name in oauth2_settings.SCOPES]

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return []


def _smart_client(application: Any) -> SmartClient | None:
    return SmartClient.objects.select_related("service_user").filter(application=application).first()


class SmartValidator(OAuth2Validator):  # type: ignore[misc]  # django-oauth-toolkit is untyped
    # --- client authentication -------------------------------------------------------------------------

    def client_authentication_required(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        if getattr(request, "client_assertion", None) or getattr(request, "client_assertion_type", None):
            return True
        return bool(super().client_authentication_required(request, *args, **kwargs))

    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        """private_key_jwt when the request carries a client assertion; otherwise the client secret, which
        a backend service (client credentials) may not use."""
        assertion = getattr(request, "client_assertion", None)
        assertion_type = getattr(request, "client_assertion_type", None)
        if assertion or assertion_type:
            if assertion_type != assertions.ASSERTION_TYPE or not assertion:
                raise errors.InvalidClientError(
                    description=f"client_assertion_type must be {assertions.ASSERTION_TYPE}.", request=request
                )
            try:
                application = assertions.authenticate(
                    assertion, token_url=request.headers.get(REQUEST_URL, ""), client_id=request.client_id
                )
            except assertions.InvalidAssertion as error:
                logger.info("client assertion refused: %s", error)
                raise errors.InvalidClientError(description=str(error), request=request) from None
            if application.client_type != application.CLIENT_CONFIDENTIAL:
                raise errors.InvalidClientError(
                    description="A public client cannot authenticate with keys.", request=request
                )
            request.client = application
            request.client_id = application.client_id
            return True
        if request.grant_type == CLIENT_CREDENTIALS:
            raise errors.InvalidClientError(
                description="Backend services authenticate with private_key_jwt (a signed client assertion).",
                request=request,
            )
        return bool(super().authenticate_client(request, *args, **kwargs))

    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if not super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs):
            return False
        if grant_type == CLIENT_CREDENTIALS:
            smart = _smart_client(client)
            user = smart.service_user if smart else None
            return user is not None and user.is_active
        return True

    # --- scopes --------------------------------------------------------------------------------------

    def validate_scopes(
        self, client_id: str, scopes: list[str], client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        """Grant the SMART scopes asked for (dropping those this server does not offer); invalid_scope with
        the reason for one it may not grant."""
        backend = request.grant_type == CLIENT_CREDENTIALS
        try:
            granted = grantable(scopes, backend=backend)
        except ScopeError as error:
            raise errors.InvalidScopeError(description=str(error), request=request) from None
        if not any(parse_resource_scope(text) for text in granted):
            example = "system/*.rs" if backend else "patient/*.rs or user/*.rs"
            raise errors.InvalidScopeError(
                description=f"Ask for at least one resource scope, such as {example}.", request=request
            )
        scopes[:] = granted
        request.scopes = scopes
        return True

    # --- patient context: consent -> code -> token -> refreshed token -----------------------------------

    def save_authorization_code(
        self, client_id: str, code: dict[str, Any], request: Any, *args: Any, **kwargs: Any
    ) -> None:
        super().save_authorization_code(client_id, code, request, *args, **kwargs)
        patient_id = getattr(request, "smart_patient_id", None)
        if patient_id is not None:
            grant = get_grant_model().objects.get(code=code["code"], application=request.client)
            GrantContext.objects.create(grant=grant, patient_id=patient_id)

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if not super().validate_code(client_id, code, client, request, *args, **kwargs):
            return False
        context = GrantContext.objects.filter(grant__code=code, grant__application=client).first()
        request.smart_patient_id = context.patient_id if context else None
        return True

    def validate_refresh_token(
        self, refresh_token: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        access_token = request.refresh_token_instance.access_token
        context = TokenContext.objects.filter(access_token=access_token).first() if access_token else None
        request.smart_patient_id = context.patient_id if context else None
        return True

    # --- tokens --------------------------------------------------------------------------------------

    def _create_access_token(
        self, expires: Any, request: Any, token: dict[str, Any], source_refresh_token: Any = None
    ) -> Any:
        if request.grant_type == CLIENT_CREDENTIALS:
            # A backend service acts as its service user, with that user's role (validate_grant_type checked).
            smart = _smart_client(request.client)
            request.user = smart.service_user if smart else None
        return super()._create_access_token(expires, request, token, source_refresh_token)

    def _save_bearer_token(self, token: dict[str, Any], request: Any, *args: Any, **kwargs: Any) -> None:
        """Save the token with its patient context; a refresh token only for offline_access; audited."""
        if OFFLINE_ACCESS not in (request.scopes or []):
            token.pop("refresh_token", None)
        super()._save_bearer_token(token, request, *args, **kwargs)
        checksum = hashlib.sha256(token["access_token"].encode()).hexdigest()
        access_token = (
            get_access_token_model()
            .objects.select_related("application", "user")
            .get(token_checksum=checksum)
        )
        patient = None
        patient_id = getattr(request, "smart_patient_id", None)
        if patient_id is not None:
            patient = Patient.objects.get(pk=patient_id)
            TokenContext.objects.update_or_create(access_token=access_token, defaults={"patient": patient})
            token["patient"] = str(patient.pk)
        _record_issue(access_token, grant_type=request.grant_type, patient=patient)


def _record_issue(access_token: Any, *, grant_type: str, patient: Patient | None) -> None:
    application = access_token.application
    app_name = application.name or application.client_id
    record(
        action="smart.token_issue",
        by=access_token.user,
        target=access_token,
        patient=patient,
        summary=f"Access token for app {app_name!r} ({grant_type}): {access_token.scope}",
        after={
            "client_id": application.client_id,
            "grant_type": grant_type,
            "scope": access_token.scope,
            "expires": access_token.expires.isoformat(),
            "patient": patient.pk if patient else None,
        },
    )
