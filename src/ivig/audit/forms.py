from __future__ import annotations

from typing import Any

from django import forms


class AuditFilterForm(forms.Form):
    """The audit page's filter form; its fields come from ivig.audit.filters.AuditEventFilter."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The 'from' date is after the 'to' date.")
        return data
