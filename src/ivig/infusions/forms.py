"""Flowsheet forms. Times are the actual time of each step (prefilled with now), in the centre's time zone."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from ivig import clock
from ivig.clinical.infusion.reactions import GRADE_TEXT, SYMPTOM_LABELS, Grade
from ivig.infusions.models import InfusionSession
from ivig.patients.forms import number_field
from ivig.siteconfig.models import SiteSettings

TIME_FORMAT = "%Y-%m-%dT%H:%M"


def local_now_text() -> str:
    return timezone.localtime(clock.now()).strftime(TIME_FORMAT)


def time_field(label: str, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[TIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=TIME_FORMAT),
        error_messages={
            "invalid": "Enter the date and time, for example 2026-03-10 09:30.",
            "required": "Enter the time.",
        },
    )


def _int_field(label: str, low: int, high: int) -> forms.IntegerField:
    # Input plausibility only (a typo guard), not clinical ranges: those are the site's vital-sign ranges.
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        error_messages={
            "invalid": f"Enter the {label.lower()} as a whole number.",
            "min_value": f"{label} below {low} cannot be right: check the reading.",
            "max_value": f"{label} above {high} cannot be right: check the reading.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TimedForm(VersionedForm):
    at = time_field("Actual time")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("at", local_now_text())
        super().__init__(*args, **kwargs)


class StartForm(forms.Form):
    setting = forms.ChoiceField(
        label="Where", choices=InfusionSession.Setting.choices, widget=forms.RadioSelect
    )
    location = forms.CharField(label="Chair or place", required=False, max_length=120)


class ChecklistForm(VersionedForm):
    identifier_1 = forms.ChoiceField(
        label="First identifier checked",
        choices=[("", "—"), *InfusionSession.Identifier.choices],
        required=False,
    )
    identifier_2 = forms.ChoiceField(
        label="Second identifier checked",
        choices=[("", "—"), *InfusionSession.Identifier.choices],
        required=False,
    )
    consent_confirmed = forms.BooleanField(label="Consent confirmed", required=False)
    weight_today_kg = forms.DecimalField(
        label="Weight today (kg)",
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("400"),
        max_digits=6,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": "Enter the weight in kg, for example 24.8."},
    )
    hydration = forms.CharField(label="Hydration", required=False, max_length=200)
    premedication_given_at = time_field("Premedication given at", required=False)
    premedication_note = forms.CharField(label="Premedication note", required=False, max_length=200)
    iv_access = forms.CharField(label="IV access (site, gauge)", required=False, max_length=120)
    location = forms.CharField(label="Chair or place", required=False, max_length=120)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("identifier_1"), data.get("identifier_2")
        if one and two and one == two:
            self.add_error("identifier_2", "Check a second, different identifier.")
        return data

    def fields_to_save(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in self.fields if name != "version" and name in self.data
        }


class ScanForm(forms.Form):
    scan = forms.CharField(
        label="Scan the vial",
        required=False,
        max_length=200,
        help_text="Scan the DataMatrix, or type the text printed under it: (01)…(17)…(10)…",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "data-autofocus": "scan"}
        ),
    )
    lot_number = forms.CharField(label="Or type the lot number", required=False, max_length=20)
    expiry_date = forms.DateField(
        label="and the expiry date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class VitalsForm(forms.Form):
    taken_at = time_field("Time taken")
    temperature = number_field("Temperature", required=False, example="37.2")
    temperature_unit = forms.ChoiceField(label="Unit", choices=[("C", "°C"), ("F", "°F")])
    heart_rate = _int_field("Heart rate", 20, 300)
    systolic = _int_field("Systolic", 40, 300)
    diastolic = _int_field("Diastolic", 15, 200)
    respiratory_rate = _int_field("Respiratory rate", 4, 120)
    spo2 = _int_field("SpO2", 40, 100)
    note = forms.CharField(label="Note", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("taken_at", local_now_text())
        initial.setdefault("temperature_unit", SiteSettings.load().temperature_unit)
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        temp, unit = data.get("temperature"), data.get("temperature_unit")
        if temp is not None:
            low, high = (Decimal(25), Decimal(45)) if unit == "C" else (Decimal(77), Decimal(113))
            if not low <= temp <= high:
                self.add_error(
                    "temperature",
                    f"A temperature of {temp} °{unit} cannot be right: check the unit and the reading.",
                )
        return data


class RateForm(TimedForm):
    rate_ml_per_h = number_field("Pump rate (mL/h)", required=True, example="30")
    reason = forms.CharField(
        label="Reason (needed when not following the plan)", required=False, max_length=300
    )


class PauseForm(TimedForm):
    reason = forms.CharField(
        label="Reason for pausing",
        max_length=300,
        error_messages={"required": "Give the reason for pausing."},
    )


class EndForm(TimedForm):
    reason = forms.CharField(
        label="Reason, if ending before the bag is empty", required=False, max_length=300
    )


class ReactionForm(forms.Form):
    onset_at = time_field("Started at")
    symptoms = forms.MultipleChoiceField(
        label="Symptoms",
        choices=[(s.value, text) for s, text in SYMPTOM_LABELS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_symptoms = forms.CharField(label="Other symptoms", required=False, max_length=200)
    grade = forms.TypedChoiceField(
        label="CTCAE v5 grade",
        coerce=int,
        choices=[(g.value, GRADE_TEXT[g]) for g in Grade],
        widget=forms.RadioSelect,
    )
    anaphylaxis_suspected = forms.BooleanField(label="Anaphylaxis suspected", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("onset_at", local_now_text())
        super().__init__(*args, **kwargs)


class ReactionActionForm(forms.Form):
    at = time_field("Time")
    description = forms.CharField(label="Treatment or action", max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("at", local_now_text())
        super().__init__(*args, **kwargs)


class SettleForm(forms.Form):
    at = time_field("Settled at")
    chosen_rate_ml_per_h = number_field(
        "Restart rate set by the prescriber (mL/h)", required=False, example="5"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("at", local_now_text())
        super().__init__(*args, **kwargs)


class DischargeForm(TimedForm):
    education_given = forms.BooleanField(label="Education pages given", required=False)
    diary_given = forms.BooleanField(label="After-infusion diary given", required=False)
    vials_wasted = forms.IntegerField(label="Vials wasted", min_value=0, max_value=100, initial=0)
    waste_reason = forms.CharField(label="Why wasted", required=False, max_length=200)
    note = forms.CharField(
        label="Note (needed to discharge before the observation ends)", required=False, max_length=300
    )


def aware(value: datetime) -> datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)
