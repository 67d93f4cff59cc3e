"""The site's public address: for links made outside a request (e-mails, FHIR canonical URLs in a file), and
the absolute base of a path for a request (IVIG_PUBLIC_URL when set, else the address the request came to)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

# Where `make run` serves: the address links point to when IVIG_PUBLIC_URL is not set.
DEVELOPMENT_URL = "http://127.0.0.1:8000"


def public_url() -> str:
    """IVIG_PUBLIC_URL (no trailing "/"), or the development server's address when it is unset."""
    return str(getattr(settings, "IVIG_PUBLIC_URL", "") or DEVELOPMENT_URL).rstrip("/")


def request_base(request: HttpRequest, path: str) -> str:
    """The absolute URL of `path` for this request: under IVIG_PUBLIC_URL if set, else the request's host."""
    public = str(getattr(settings, "IVIG_PUBLIC_URL", "") or "").rstrip("/")
    if public:
        return f"{public}{path}"
    return request.build_absolute_uri(path)
