"""The security header values: a strict Content-Security-Policy and a Permissions-Policy.

Set on every response by ivig.web.middleware; pages that set their own (the SMART launch) start from these.
"""

from __future__ import annotations

# No inline scripts or styles anywhere: htmx is a vendored file and configured from a <meta> tag.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
