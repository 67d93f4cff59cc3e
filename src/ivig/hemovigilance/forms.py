"""The lookback search: a scanned vial, or a typed lot number with an optional GTIN."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from ivig.inventory.forms import read_scan_field, vial_scan_field


class LookbackForm(forms.Form):
    scan = vial_scan_field("Scan a vial")
    lot = forms.CharField(label="Lot number", required=False, max_length=20)
    gtin = forms.CharField(
        label="GTIN",
        required=False,
        max_length=14,
        help_text="Optional: narrows the search when two products share a lot number.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scan"):
            if label := read_scan_field(self, data):
                data["lot"], data["gtin"] = label.lot_number, label.gtin
            return data
        data["lot"] = (data.get("lot") or "").strip().upper()
        data["gtin"] = (data.get("gtin") or "").strip()
        if not data["lot"]:
            self.add_error("lot", "Enter the lot number, or scan a vial.")
        if data["gtin"] and not re.fullmatch(r"[0-9]{14}", data["gtin"]):
            self.add_error("gtin", "A GTIN has 14 digits.")
        return data


class QuarantineForm(forms.Form):
    lot = forms.CharField(widget=forms.HiddenInput, max_length=20)
    gtin = forms.CharField(widget=forms.HiddenInput, required=False, max_length=14)
    reason = forms.CharField(
        label="Reason",
        max_length=200,
        help_text="For example: manufacturer recall notice of 12 March, reference ABC-123.",
    )


class LetterForm(forms.Form):
    """What the manufacturer's notice says, printed in the draft letters (optional)."""

    notice = forms.CharField(
        label="What the recall notice says (printed in the letters)",
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
