"""Patient forms. Weight and height are entered in kg or lb and cm or in, and stored in kg and cm."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.utils import timezone

from ivig.patients.models import MAX_HEIGHT_CM, MAX_WEIGHT_KG, MIN_HEIGHT_CM, MIN_WEIGHT_KG, Allergy, Patient

# Exact by definition of the international yard and pound (1959).
KG_PER_LB = Decimal("0.45359237")
CM_PER_IN = Decimal("2.54")

WEIGHT_UNITS = [("kg", "kg"), ("lb", "lb")]
HEIGHT_UNITS = [("cm", "cm"), ("in", "in")]


def _number_field(label: str, *, required: bool, example: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=8,
        decimal_places=3,
        error_messages={
            "invalid": f"Enter the {label.lower()} as a number, for example {example}.",
            "required": f"Enter the {label.lower()}.",
            "max_digits": f"Enter a realistic {label.lower()}.",
            "max_decimal_places": f"Use at most 3 decimal places for the {label.lower()}.",
            "max_whole_digits": f"Enter a realistic {label.lower()}.",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class BodySizeFields(forms.Form):
    """Weight and height with their units; cleaned_data gets `weight_kg` and `height_cm`."""

    weight_required = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["weight"] = _number_field("Weight", required=self.weight_required, example="23.5")
        self.fields["weight_unit"] = forms.ChoiceField(
            label="Weight unit", choices=WEIGHT_UNITS, initial="kg"
        )
        self.fields["height"] = _number_field("Height", required=False, example="152")
        self.fields["height_unit"] = forms.ChoiceField(
            label="Height unit", choices=HEIGHT_UNITS, initial="cm"
        )

    def clean_body_size(self, data: dict[str, Any]) -> None:
        weight = data.get("weight")
        data["weight_kg"] = None
        if weight is not None:
            weight_kg = weight * KG_PER_LB if data.get("weight_unit") == "lb" else weight
            if not MIN_WEIGHT_KG <= weight_kg <= MAX_WEIGHT_KG:
                self.add_error(
                    "weight",
                    f"Weight must be between {MIN_WEIGHT_KG} and {MAX_WEIGHT_KG} kg "
                    f"({weight_kg.normalize():f} kg was entered).",
                )
            else:
                data["weight_kg"] = weight_kg.quantize(Decimal("0.01"), ROUND_HALF_UP)
        height = data.get("height")
        data["height_cm"] = None
        if height is not None:
            height_cm = height * CM_PER_IN if data.get("height_unit") == "in" else height
            if not MIN_HEIGHT_CM <= height_cm <= MAX_HEIGHT_CM:
                self.add_error(
                    "height",
                    f"Height must be between {MIN_HEIGHT_CM} and {MAX_HEIGHT_CM} cm "
                    f"({height_cm.normalize():f} cm was entered).",
                )
            else:
                data["height_cm"] = height_cm.quantize(Decimal("0.1"), ROUND_HALF_UP)


class PatientForm(BodySizeFields, forms.ModelForm[Patient]):
    class Meta:
        model = Patient
        fields = ["mrn", "given_name", "family_name", "date_of_birth", "sex_at_birth", "care_site"]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {"mrn": {"unique": "Another patient already has this medical record number."}}

    def clean_mrn(self) -> str:
        mrn = str(self.cleaned_data["mrn"]).strip().upper()
        if not mrn.replace("-", "").isalnum():
            raise forms.ValidationError("Use only letters, digits and hyphens in the medical record number.")
        return mrn

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError("Date of birth cannot be in the future.")
        if born.year < 1900:
            raise forms.ValidationError("Check the date of birth: it is before 1900.")
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_body_size(data)
        return data


class MeasurementForm(BodySizeFields):
    weight_required = False
    measured_on = forms.DateField(label="Measured on", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_measured_on(self) -> Any:
        day = self.cleaned_data["measured_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The measurement date cannot be in the future.")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_body_size(data)
        if data.get("weight") is None and data.get("height") is None and not self.errors:
            raise forms.ValidationError("Enter a weight, a height, or both.")
        return data


class AllergyForm(forms.ModelForm[Allergy]):
    class Meta:
        model = Allergy
        fields = ["substance", "reaction", "severity"]


class PatientSearchForm(forms.Form):
    q = forms.CharField(label="Name or MRN", required=False, max_length=100)
