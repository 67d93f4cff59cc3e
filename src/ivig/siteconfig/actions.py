"""Write the site settings. A change to a dosing limit names its source, in the settings and the audit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict

from ivig.audit.events import record
from ivig.clinical.reasons import reason_problem
from ivig.lib.refusals import ActionRefused
from ivig.siteconfig.models import SiteSettings

if TYPE_CHECKING:
    from ivig.accounts.models import User


class SettingsError(ActionRefused):
    """The site settings were not saved; the message says why."""


# The hard (stop) and soft (caution) dosing limits: changing one needs the source of the change.
LIMITS = (
    "max_g_per_kg_per_day",
    "max_g_per_kg_per_28_days",
    "max_ml_per_kg_per_day",
    "max_infusion_h_per_day",
    "caution_g_per_day",
    "overage_caution_pct",
    "overage_stop_pct",
)

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
    *LIMITS,
    "sc_ka_per_day",
    "news2_for_adults",
    "temperature_unit",
    "road_factor",
    "travel_speed_km_per_h",
)


@transaction.atomic
def update_site_settings(*, by: User, limits_source: str = "", **values: Any) -> SiteSettings:
    """Save the settings; a change to any limit needs `limits_source`, the source of the new limits."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not site settings: {', '.join(sorted(unknown))}")
    settings = SiteSettings.objects.select_for_update().get_or_create(pk=1)[0]
    before = model_to_dict(settings, fields=EDITABLE)
    for name, value in values.items():
        setattr(settings, name, value)
    try:
        settings.full_clean()
    except ValidationError as error:
        raise SettingsError(" ".join(error.messages)) from error
    after = model_to_dict(settings, fields=EDITABLE)
    changed_limits = [name for name in LIMITS if before[name] != after[name]]
    source = limits_source.strip()
    if changed_limits:
        problem = reason_problem(source)
        if problem:
            where = "Say where the new limits come from (a guideline, a committee decision)."
            raise SettingsError(f"{where} {problem}")
        settings.limits_source = source[:300]
    settings._change_reason = "site settings edited"  # type: ignore[attr-defined]
    settings.save()
    changes_after = {k: v for k, v in after.items() if v != before[k]}
    if changed_limits:
        changes_after["limits_source"] = settings.limits_source
    summary = "Site settings changed"
    if changed_limits:
        summary += f"; limits changed ({', '.join(changed_limits)}), source: {settings.limits_source}"
    record(
        action="site_settings.update",
        by=by,
        target=settings,
        summary=summary,
        before={k: v for k, v in before.items() if v != after[k]},
        after=changes_after,
    )
    return settings
