"""Where a SMART app finds us: /fhir/.well-known/smart-configuration and CapabilityStatement.rest.security."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from ivig.accounts.access import public
from ivig.lib.addresses import request_base
from ivig.smart.models import SIGNING_ALGORITHMS

CAPABILITIES = [
    "launch-ehr",
    "launch-standalone",
    "client-public",
    "client-confidential-symmetric",
    "client-confidential-asymmetric",
    "context-ehr-patient",
    "context-standalone-patient",
    "permission-offline",
    "permission-patient",
    "permission-user",
    "permission-v1",
    "permission-v2",
]
SCOPES_SUPPORTED = [
    "launch",
    "launch/patient",
    "offline_access",
    "patient/*.rs",
    "patient/*.read",
    "user/*.rs",
    "user/*.read",
    "user/*.c",
    "system/*.rs",
    "system/*.read",
    "system/*.c",
]
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"


def fhir_base(request: HttpRequest) -> str:
    """The FHIR API's absolute base URL without the final "/" (the `aud` an app sends, the `iss` we send);
    under IVIG_PUBLIC_URL when it is set, as every URL the API gives out (ivig.fhir.addresses)."""
    return request_base(request, reverse("fhir:api-root")).rstrip("/")


def site_root(request: HttpRequest) -> str:
    """The site's absolute address without the final "/" (the OAuth issuer)."""
    return request_base(request, "/").rstrip("/")


def endpoints(root: str) -> dict[str, str]:
    """The OAuth endpoints as absolute URLs under the site's address `root` (no final "/")."""
    return {name: f"{root}{reverse(f'smart:{name}')}" for name in ("authorize", "token", "revoke")}


@public
@require_GET
def configuration(request: HttpRequest) -> JsonResponse:
    """SMART App Launch 2 discovery: readable without a token, from any origin."""
    urls = endpoints(site_root(request))
    data: dict[str, Any] = {
        "issuer": site_root(request),
        "authorization_endpoint": urls["authorize"],
        "token_endpoint": urls["token"],
        "revocation_endpoint": urls["revoke"],
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "private_key_jwt",
        ],
        "token_endpoint_auth_signing_alg_values_supported": list(SIGNING_ALGORITHMS),
        "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
        "scopes_supported": SCOPES_SUPPORTED,
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "capabilities": CAPABILITIES,
    }
    response = JsonResponse(data)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def capability_security(base: str) -> dict[str, Any]:
    """CapabilityStatement.rest.security: SMART on FHIR with the OAuth endpoints (the oauth-uris extension),
    for clients that look there rather than at .well-known/smart-configuration. `base` is the API's."""
    api_root = reverse("fhir:api-root")
    root = base.removesuffix(api_root) if base.endswith(api_root) else urljoin(base, "/").rstrip("/")
    urls = endpoints(root)
    return {
        "extension": [
            {
                "url": OAUTH_URIS,
                "extension": [{"url": name, "valueUri": url} for name, url in urls.items()],
            }
        ],
        "service": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                        "code": "SMART-on-FHIR",
                    }
                ],
                "text": "SMART App Launch 2 (OAuth2), or a personal API token",
            }
        ],
        "description": (
            "Authorization: Bearer <token>: a SMART access token (its scopes and launch patient narrow the "
            "user's role) or a personal API token (the user's role). See .well-known/smart-configuration."
        ),
    }
