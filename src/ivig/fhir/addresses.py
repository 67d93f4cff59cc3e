"""Absolute URLs of the FHIR API: links (fullUrl, paging, $export files) and our canonical URLs (the diary's
Questionnaire, our CodeSystems and SearchParameters), which must resolve on this server.

With IVIG_PUBLIC_URL set they are under it. Unset, they are under the address the request came to
(``request.build_absolute_uri``: the Host header, X-Forwarded-Host only with USE_X_FORWARDED_HOST and
X-Forwarded-Proto only with SECURE_PROXY_SSL_HEADER, as Django does), so a client that reached the server at
https://ivig.local/ is not sent to 127.0.0.1:8000. Code with no request at hand (the mappers, which build
canonical URLs) reads the base the current request set with ``serving``; outside a request it falls back to
the site's public address (ivig.lib.addresses).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ivig.lib.addresses import public_url, request_base

__all__ = ["API_PATH", "fhir_base", "request_base", "serving"]

API_PATH = "/fhir/"
_BASE: ContextVar[str | None] = ContextVar("ivig_fhir_base", default=None)


def fhir_base() -> str:
    """The base of the request being served, or the site's public address outside a request."""
    return _BASE.get() or f"{public_url()}{API_PATH}"


@contextmanager
def serving(base: str) -> Iterator[None]:
    """Make ``fhir_base()`` answer ``base`` while a request is served."""
    token = _BASE.set(base)
    try:
        yield
    finally:
        _BASE.reset(token)
