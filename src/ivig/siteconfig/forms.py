from typing import Any

from django import forms

from ivig.siteconfig.actions import EDITABLE, LIMITS
from ivig.siteconfig.models import SiteSettings


class SiteSettingsForm(forms.ModelForm[SiteSettings]):
    # Not prefilled: each change of a limit names its own source (stored in `limits_source`, audited).
    limits_source = forms.CharField(
        label="Source of this limit change",
        required=False,
        max_length=300,
        help_text="Needed when you change a dosing limit: the guideline or decision it comes from.",
    )

    class Meta:
        model = SiteSettings
        fields = list(EDITABLE)
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, data: Any = None, instance: SiteSettings | None = None, **kwargs: Any) -> None:
        if data is not None and instance is not None:
            # A form that leaves a limit (or the temperature unit) out is not changing it.
            data = data.copy()
            for name in (*LIMITS, "temperature_unit", "road_factor", "travel_speed_km_per_h"):
                if name not in data:
                    value = getattr(instance, name)
                    data[name] = "" if value is None else str(value)
        super().__init__(data, instance=instance, **kwargs)
        self.initial["limits_source"] = ""

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE}
