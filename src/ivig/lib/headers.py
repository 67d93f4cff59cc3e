"""The security header values: a strict Content-Security-Policy and a Permissions-Policy.

django-csp sets the policy on every response (ivig.web.middleware); pages that widen it (the SMART launch) add
to these directives.
"""

from __future__ import annotations

from csp.constants import NONE, SELF, UNSAFE_INLINE

# No inline scripts or styles anywhere: htmx is a vendored file and configured from a <meta> tag. In
# django-csp's form (settings.CONTENT_SECURITY_POLICY); views widen one directive with `_csp_update`.
CSP_DIRECTIVES: dict[str, list[str]] = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
# The admin ships inline scripts and styles of its own; it is for staff and keeps Django's defaults.
CSP_ADMIN_UPDATE: dict[str, list[str]] = {"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE]}
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
