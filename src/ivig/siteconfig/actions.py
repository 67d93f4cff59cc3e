"""Write the site settings."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict

from ivig.audit.events import record
from ivig.siteconfig.models import SiteSettings

EDITABLE = (
    "centre_name",
    "phone_appointments",
    "phone_nurse_line",
    "phone_after_hours",
    "address",
    "weight_policy",
    "rounding_rule",
    "max_dose_g_per_day",
    "risk_rate_cap_mg_per_kg_per_min",
    "sc_ka_per_day",
)


@transaction.atomic
def update_site_settings(*, by: Any, **values: Any) -> SiteSettings:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not site settings: {', '.join(sorted(unknown))}")
    settings = SiteSettings.objects.select_for_update().get_or_create(pk=1)[0]
    before = model_to_dict(settings, fields=EDITABLE)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings._change_reason = "site settings edited"  # type: ignore[attr-defined]
    settings.save()
    after = model_to_dict(settings, fields=EDITABLE)
    record(
        action="site_settings.update",
        by=by,
        target=settings,
        summary="Site settings changed",
        before={k: v for k, v in before.items() if v != after[k]},
        after={k: v for k, v in after.items() if v != before[k]},
    )
    return settings
