"""The site's public address for links made outside a request: e-mails, FHIR canonical URLs in a file."""

from __future__ import annotations

from django.conf import settings

# Where `make run` serves: the address links point to when IVIG_PUBLIC_URL is not set.
DEVELOPMENT_URL = "http://127.0.0.1:8000"


def public_url() -> str:
    """IVIG_PUBLIC_URL (no trailing "/"), or the development server's address when it is unset."""
    return str(getattr(settings, "IVIG_PUBLIC_URL", "") or DEVELOPMENT_URL).rstrip("/")
