"""Stock forms: receiving a delivery, holding a lot, transfers, wastage, locations and count sheets."""

from __future__ import annotations

from typing import Any

from django import forms

from ivig.accounts.models import User
from ivig.inventory.actions import StockError, read_scan
from ivig.inventory.gs1 import VialLabel
from ivig.inventory.location_actions import WASTE_REASONS, CountLine
from ivig.inventory.models import Location, Lot, LotBalance, StockMovement, StockProduct
from ivig.lib.text import validate_no_bidi


def vial_scan_field(label: str = "Scan the vial") -> forms.CharField:
    """A box for a scanner (or the typed GS1 text): no autocomplete or spelling help, focused first."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=200,
        help_text=(
            "Scan the GS1 DataMatrix or Digital Link (QR) code, or type the text printed under it: "
            "(01)…(17)…(10)…"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "spellcheck": "false"}),
    )


def vials_field(label: str, example: int) -> forms.IntegerField:
    """A number of whole vials, one to ten thousand."""
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=10_000,
        error_messages={"invalid": f"Enter the number of vials as a whole number, for example {example}."},
    )


def read_scan_field(form: forms.Form, data: dict[str, Any]) -> VialLabel | None:
    """The label read from the form's `scan` box; None when nothing was scanned or (with the error on the
    box) when the scan cannot be read."""
    if not data.get("scan"):
        return None
    try:
        return read_scan(data["scan"])
    except StockError as error:
        form.add_error("scan", str(error))
        return None


class ReceiveForm(forms.Form):
    scan = vial_scan_field()
    product = forms.ModelChoiceField(
        label="Product and vial size",
        queryset=StockProduct.objects.all(),
        required=False,
        help_text="Needed when typing the lot, or when the scanned GTIN is new to the pharmacy.",
    )
    lot_number = forms.CharField(
        label="Lot number",
        required=False,
        max_length=20,
        validators=[lambda value: validate_no_bidi(value, "lot number")],
    )
    expiry_date = forms.DateField(
        label="Expiry date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    quantity_vials = vials_field("Vials received", 12)
    location = forms.ModelChoiceField(
        label="Received at",
        queryset=Location.objects.filter(active=True),
        required=False,
        help_text="Blank: the pharmacy that orders are dispensed from.",
    )
    reference = forms.CharField(label="Delivery note", required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["gtin"] = None
        if data.get("scan"):
            if label := read_scan_field(self, data):
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
        names = ("product", "gtin", "lot_number", "expiry_date", "quantity_vials", "reference", "location")
        return {name: self.cleaned_data[name] for name in names}


class HoldForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=200)


class TransferForm(forms.Form):
    from_location = forms.ModelChoiceField(label="From", queryset=Location.objects.none())
    to_location = forms.ModelChoiceField(label="To", queryset=Location.objects.none())
    quantity_vials = vials_field("Vials", 2)
    note = forms.CharField(
        label="Note", required=False, max_length=200, help_text="For example: Tuesday round."
    )

    def __init__(self, *args: Any, lot: Lot, **kwargs: Any) -> None:
        kwargs["prefix"] = "transfer"
        super().__init__(*args, **kwargs)
        holding = Location.objects.filter(balances__lot=lot, balances__on_hand_vials__gt=0)
        from_field = self.fields["from_location"]
        to_field = self.fields["to_location"]
        assert isinstance(from_field, forms.ModelChoiceField) and isinstance(to_field, forms.ModelChoiceField)
        from_field.queryset = holding
        to_field.queryset = Location.objects.filter(active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from_location") and data.get("from_location") == data.get("to_location"):
            self.add_error("to_location", "Choose a different location from the one the vials are at.")
        return data


class WasteForm(forms.Form):
    location = forms.ModelChoiceField(label="At", queryset=Location.objects.none())
    quantity_vials = vials_field("Vials wasted", 1)
    reason_code = forms.ChoiceField(
        label="Why",
        choices=[("", "Choose…")] + [(code.value, code.label) for code in WASTE_REASONS],
    )
    details = forms.CharField(label="Details", required=False, max_length=150)

    def __init__(self, *args: Any, lot: Lot, **kwargs: Any) -> None:
        kwargs["prefix"] = "waste"
        super().__init__(*args, **kwargs)
        field = self.fields["location"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Location.objects.filter(balances__lot=lot, balances__on_hand_vials__gt=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason_code") == StockMovement.ReasonCode.OTHER and not data.get("details"):
            self.add_error("details", "Say what happened to the vials.")
        return data


class LocationForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="For example: Day unit fridge 2.",
        validators=[lambda value: validate_no_bidi(value, "location name")],
    )
    kind = forms.ChoiceField(label="Kind", choices=Location.Kind.choices)
    nurse = forms.ModelChoiceField(
        label="Home-infusion nurse",
        queryset=User.objects.filter(is_active=True, groups__name="Nurse").order_by(
            "last_name", "first_name"
        ),
        required=False,
        help_text="Only for a home-infusion nurse's stock.",
    )
    active = forms.BooleanField(label="In use", required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Location.Kind.HOME_NURSE and not data.get("nurse"):
            self.add_error("nurse", "Choose the nurse who carries this stock.")
        if data.get("kind") != Location.Kind.HOME_NURSE and data.get("nurse"):
            self.add_error("nurse", "Only a home-infusion location has a nurse.")
        return data


class CountForm(forms.Form):
    """A count sheet for one location: a number field per lot, and the ledger figure each was made with."""

    reason = forms.CharField(
        label="Reason for any difference",
        required=False,
        max_length=150,
        help_text="Needed when a count differs from the ledger, for example: broken vial found in the bin.",
    )

    def __init__(self, *args: Any, balances: list[LotBalance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.balances = balances
        for balance in balances:
            self.fields[f"count-{balance.lot_id}"] = forms.IntegerField(
                label=f"Lot {balance.lot.lot_number}",
                required=False,
                min_value=0,
                max_value=100_000,
                error_messages={"invalid": "Enter the vials counted as a whole number."},
            )
            self.fields[f"expected-{balance.lot_id}"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=balance.on_hand_vials
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "balance": balance,
                "field": self[f"count-{balance.lot_id}"],
                "hidden": self[f"expected-{balance.lot_id}"],
            }
            for balance in self.balances
        ]

    def lines(self) -> list[CountLine]:
        """The lots counted (blank fields are lots not counted this time)."""
        data = self.cleaned_data
        return [
            CountLine(
                lot=balance.lot,
                expected_vials=data[f"expected-{balance.lot_id}"],
                counted_vials=data[f"count-{balance.lot_id}"],
            )
            for balance in self.balances
            if data.get(f"count-{balance.lot_id}") is not None
            and data.get(f"expected-{balance.lot_id}") is not None
        ]
