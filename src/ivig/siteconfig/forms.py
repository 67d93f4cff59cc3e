from django import forms

from ivig.siteconfig.models import SiteSettings


class SiteSettingsForm(forms.ModelForm[SiteSettings]):
    class Meta:
        model = SiteSettings
        fields = ["centre_name", "phone_appointments", "phone_nurse_line", "phone_after_hours", "address"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
