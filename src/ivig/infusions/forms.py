"""Flowsheet forms. Times are the actual time of each step (prefilled with now), in the centre's time zone."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from ivig import clock
from ivig.clinical.infusion.news2 import CONSCIOUSNESS_LABELS
from ivig.clinical.infusion.reactions import GRADE_TEXT, SYMPTOM_LABELS, Grade
from ivig.infusions.models import InfusionSession
from ivig.patients.forms import KG_PER_LB, BodySizeFields, number_field
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


class ChecklistForm(BodySizeFields, VersionedForm):
    """The checklist as the nurse fills it; the two identifiers come from IdentityForm, not from here."""

    weight_required = False
    consent_confirmed = forms.BooleanField(label="Consent confirmed", required=False)
    weight_confirmed = forms.BooleanField(
        label="I re-weighed the patient: this weight is right", required=False
    )
    hydration = forms.CharField(label="Hydration", required=False, max_length=200)
    premedication_given_at = time_field("Premedication given at", required=False)
    premedication_note = forms.CharField(label="Premedication note", required=False, max_length=200)
    iv_access = forms.CharField(label="IV access (site, gauge)", required=False, max_length=120)
    location = forms.CharField(label="Chair or place", required=False, max_length=120)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["consent_confirmed", "weight", "weight_unit", "weight_confirmed"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["height"], self.fields["height_unit"]  # height is not measured at the chair
        self.fields["weight"].label = "Weight today"
        self.fields["weight_unit"].required = False  # an autosave of another field posts no unit
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_body_size(data)
        return data

    def fields_to_save(self, posted: set[str]) -> dict[str, Any]:
        """The fields this post carries, by their session names (weight in kg, with the unit entered)."""
        data = self.cleaned_data
        saved = {
            name: data[name]
            for name in ("hydration", "premedication_given_at", "premedication_note", "iv_access", "location")
            if name in posted
        }
        if "notes" in posted:
            saved["notes"] = data["notes"]
        saved["consent_confirmed"] = data["consent_confirmed"]
        saved["weight_confirmed"] = data["weight_confirmed"]
        if "weight" in posted:
            saved["weight_today_kg"] = data.get("weight_kg")
            saved["weight_entered_unit"] = data.get("weight_unit") or "kg"
        return saved

    @staticmethod
    def initial_for(session: InfusionSession) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(session, name)
            for name in (
                "consent_confirmed",
                "weight_confirmed",
                "hydration",
                "premedication_given_at",
                "premedication_note",
                "iv_access",
                "location",
                "notes",
            )
        }
        kg, unit = session.weight_today_kg, session.weight_entered_unit
        if kg is not None:
            shown = kg / KG_PER_LB if unit == "lb" else kg
            initial["weight"] = shown.quantize(
                Decimal("0.1") if unit == "lb" else Decimal("0.01")
            ).normalize()
        initial["weight_unit"] = unit
        return initial


class IdentityForm(forms.Form):
    """Scan the wristband, or check two identifiers by hand (docs/reference/identification.md s16)."""

    wristband = forms.CharField(
        label="Scan the wristband",
        required=False,
        max_length=200,
        help_text="The scanner types the MRN from the band's barcode.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "data-autofocus": "wristband"}
        ),
    )
    name_confirmed = forms.BooleanField(
        label="The patient (or carer) said the full name, and it is the name above", required=False
    )
    date_of_birth = forms.DateField(
        label="Date of birth, as the patient gives it",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    mrn = forms.CharField(label="or the MRN, as on the band", required=False, max_length=40)


class ScanForm(forms.Form):
    scan = forms.CharField(
        label="Scan the vial",
        required=False,
        max_length=200,
        help_text=(
            "Scan the DataMatrix or Digital Link (QR) code, or type the text printed under it: "
            "(01)…(17)…(10)…"
        ),
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
    # NEWS2 (docs/reference/monitoring.md s14) scores these two; left blank they are "not recorded", never
    # normal.
    on_oxygen = forms.TypedChoiceField(
        label="Air or oxygen",
        choices=[("", "Not recorded"), ("air", "Air"), ("oxygen", "Oxygen")],
        coerce=lambda v: v == "oxygen",
        empty_value=None,
        required=False,
    )
    consciousness = forms.ChoiceField(
        label="Consciousness (ACVPU)",
        choices=[("", "Not recorded")] + [(c.value, text) for c, text in CONSCIOUSNESS_LABELS.items()],
        required=False,
    )
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
