"""Forms of the conservation pages: accept (reasons for cautions, review date), decline, propose a switch."""

from __future__ import annotations

from typing import Any

from django import forms

from ivig.conservation.actions import MIN_REASON_CHARS
from ivig.orders.findings import Caution
from ivig.orders.planning import product_choices


class AcceptForm(forms.Form):
    acknowledge_overlap = forms.BooleanField(
        label="I know this patient has the active order(s) listed, and I mean both to be given",
        required=False,
    )

    def __init__(self, *args: Any, cautions: list[Caution], needs_review_date: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cautions = cautions
        for caution in cautions:
            self.fields[f"reason_{caution.code}"] = forms.CharField(
                label=caution.message, required=False, initial=caution.reason, max_length=300
            )
        if needs_review_date:
            self.fields["review_on"] = forms.DateField(
                label="Review the reduced dose on", widget=forms.DateInput(attrs={"type": "date"})
            )

    def caution_reasons(self) -> dict[str, str]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {c.code: data.get(f"reason_{c.code}", "") or "" for c in self.cautions}


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why not",
        min_length=MIN_REASON_CHARS,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "e.g. relapsed on a lower dose in 2025"}),
    )


class SwitchForm(forms.Form):
    product_slug = forms.ChoiceField(label="Switch to", choices=())
    reason = forms.CharField(label="Reason", min_length=MIN_REASON_CHARS, max_length=300)

    def __init__(self, *args: Any, route: str = "iv", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product_slug"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a product"), *product_choices(route)]
