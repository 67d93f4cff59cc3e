from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ivig.siteconfig.models import SiteSettings
from ivig.web.navigation import items_for, portal_only


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_items": items_for(user) if user is not None else [],
        "site_settings": SiteSettings.load(),
        "staff_links": user is not None and not portal_only(user),
    }
