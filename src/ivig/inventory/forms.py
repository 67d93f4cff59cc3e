"""Stock forms: receiving a delivery by scan or typed fields, and the reason for holding a lot."""

from __future__ import annotations

from typing import Any

from django import forms

from ivig.inventory.actions import StockError, read_scan
from ivig.inventory.models import StockProduct


class ReceiveForm(forms.Form):
    scan = forms.CharField(
        label="Scan the vial",
        required=False,
        max_length=200,
        help_text="Scan the GS1 DataMatrix, or type the text printed under it: (01)…(17)…(10)…",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "spellcheck": "false"}),
    )
    product = forms.ModelChoiceField(
        label="Product and vial size",
        queryset=StockProduct.objects.all(),
        required=False,
        help_text="Needed when typing the lot, or when the scanned GTIN is new to the pharmacy.",
    )
    lot_number = forms.CharField(label="Lot number", required=False, max_length=20)
    expiry_date = forms.DateField(
        label="Expiry date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    quantity_vials = forms.IntegerField(
        label="Vials received",
        min_value=1,
        max_value=10_000,
        error_messages={"invalid": "Enter the number of vials as a whole number, for example 12."},
    )
    reference = forms.CharField(label="Delivery note", required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["gtin"] = None
        if data.get("scan"):
            try:
                label = read_scan(data["scan"])
            except StockError as error:
                self.add_error("scan", str(error))
                return data
            data.update(gtin=label.gtin, lot_number=label.lot_number, expiry_date=label.expiry_date)
            return data
        for name, message in (
            ("product", "Choose the product, or scan the vial."),
            ("lot_number", "Enter the lot number, or scan the vial."),
            ("expiry_date", "Enter the expiry date, or scan the vial."),
        ):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data

    def action_arguments(self) -> dict[str, Any]:
        """Return the cleaned values as the keyword arguments of `receive_stock`."""
        names = ("product", "gtin", "lot_number", "expiry_date", "quantity_vials", "reference")
        return {name: self.cleaned_data[name] for name in names}


class HoldForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=200)
