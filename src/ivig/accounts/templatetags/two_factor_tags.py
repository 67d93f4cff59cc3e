"""The two-factor panel of the account page ({% two_factor_panel %})."""

from __future__ import annotations

from typing import Any

from django import template

from ivig.accounts import two_factor

register = template.Library()


@register.inclusion_tag("accounts/two_factor/panel.html", takes_context=True)
def two_factor_panel(context: dict[str, Any]) -> dict[str, Any]:
    user = context["user"]
    return {
        "has_device": two_factor.has_device(user),
        "required": two_factor.required_for(user),
        "codes_left": two_factor.recovery_codes_left(user),
    }
