from django import forms

from ivig.siteconfig.actions import EDITABLE
from ivig.siteconfig.models import SiteSettings


class SiteSettingsForm(forms.ModelForm[SiteSettings]):
    class Meta:
        model = SiteSettings
        fields = list(EDITABLE)
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
