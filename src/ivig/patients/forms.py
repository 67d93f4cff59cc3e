"""Patient forms. Weight and height are entered in kg or lb and cm or in, and stored in kg and cm."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms

from ivig import clock
from ivig.clinical.identity import birth_date_problem, mrn_problem, normalise_mrn
from ivig.patients.models import MAX_HEIGHT_CM, MAX_WEIGHT_KG, MIN_HEIGHT_CM, MIN_WEIGHT_KG, Allergy, Patient

# Exact by definition of the international yard and pound (1959).
KG_PER_LB = Decimal("0.45359237")
CM_PER_IN = Decimal("2.54")

WEIGHT_UNITS = [("kg", "kg"), ("lb", "lb")]
HEIGHT_UNITS = [("cm", "cm"), ("in", "in")]


def number_field(label: str, *, required: bool, example: str) -> forms.DecimalField:
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
        self.fields["weight"] = number_field("Weight", required=self.weight_required, example="23.5")
        self.fields["weight_unit"] = forms.ChoiceField(
            label="Weight unit", choices=WEIGHT_UNITS, initial="kg"
        )
        self.fields["height"] = number_field("Height", required=False, example="152")
        self.fields["height_unit"] = forms.ChoiceField(
            label="Height unit", choices=HEIGHT_UNITS, initial="cm"
        )

    def clean_body_size(self, data: dict[str, Any]) -> None:
        """Convert weight and height to kg and cm, and check them against the plausible ranges."""
        for field, alternative, factor, limits, stored, quantum in (
            ("weight", "lb", KG_PER_LB, (MIN_WEIGHT_KG, MAX_WEIGHT_KG), "kg", Decimal("0.01")),
            ("height", "in", CM_PER_IN, (MIN_HEIGHT_CM, MAX_HEIGHT_CM), "cm", Decimal("0.1")),
        ):
            entered = data.get(field)
            data[f"{field}_{stored}"] = None
            if entered is None:
                continue
            value = entered * factor if data.get(f"{field}_unit") == alternative else entered
            low, high = limits
            if low <= value <= high:
                data[f"{field}_{stored}"] = value.quantize(quantum, ROUND_HALF_UP)
            else:
                self.add_error(
                    field,
                    f"{field.capitalize()} must be between {low} and {high} {stored} "
                    f"({value.normalize():f} {stored} was entered).",
                )


class PatientForm(BodySizeFields, forms.ModelForm[Patient]):
    class Meta:
        model = Patient
        fields = [
            "mrn",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex_at_birth",
            "care_site",
            "home_address",
            "home_latitude",
            "home_longitude",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "home_address": forms.Textarea(attrs={"rows": 2}),
            "home_latitude": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            "home_longitude": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        }
        help_texts = {
            "home_latitude": "For home infusion routes, e.g. 45.501690 (decimal degrees, WGS84).",
            "home_longitude": "E.g. -73.567253. Give both coordinates or neither.",
        }
        error_messages = {"mrn": {"unique": "Another patient already has this medical record number."}}

    # The same rules as the model's validators (ivig.clinical.identity): the import and the CLI get them too.
    def clean_mrn(self) -> str:
        mrn = normalise_mrn(str(self.cleaned_data["mrn"]))
        problem = mrn_problem(mrn)
        if problem:
            raise forms.ValidationError(problem)
        return mrn

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data["date_of_birth"]
        problem = birth_date_problem(born, clock.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_body_size(data)
        return data

    def action_arguments(self) -> dict[str, Any]:
        """Return the cleaned values as the keyword arguments of the patient actions."""
        names = (*self.Meta.fields, "weight_kg", "height_cm")
        return {name: self.cleaned_data[name] for name in names}


class MeasurementForm(BodySizeFields):
    weight_required = False
    measured_on = forms.DateField(label="Measured on", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_measured_on(self) -> Any:
        day = self.cleaned_data["measured_on"]
        if day > clock.localdate():
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
