from __future__ import annotations

from typing import Any

from django import forms


class AuditFilterForm(forms.Form):
    patient = forms.CharField(required=False, label="Patient MRN", max_length=32)
    user = forms.CharField(required=False, label="User", max_length=150)
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The 'from' date is after the 'to' date.")
        return data
