"""The site settings form as an administrator sends it: the saved values, with the changes given."""

from __future__ import annotations

from typing import Any


def settings_form(**changes: Any) -> dict[str, Any]:
    """The settings form with the centre's name, the default dose rules and no site limits, then `changes`."""
    from ivig.siteconfig.models import SiteSettings

    return {
        "centre_name": SiteSettings.load().centre_name,
        "weight_policy": "actual",
        "rounding_rule": "nearest-vial",
        "max_dose_g_per_day": "",
        "risk_rate_cap_mg_per_kg_per_min": "",
        "sc_ka_per_day": "",
    } | changes
