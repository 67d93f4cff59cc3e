"""Outcome forms. Dates cannot be in the future; the actions check the rest again."""

from __future__ import annotations

from typing import Any

from django import forms

from ivig import clock
from ivig.clinical.catalog import default_catalog
from ivig.clinical.pk.model import Deficiency
from ivig.orders.models import INDICATION_CHOICES
from ivig.outcomes.models import MAX_EPISODE_DAYS, NEURO_INDICATIONS, DoseTrial, OutcomeReview
from ivig.outcomes.pk_data import REGIMEN_CHOICES
from ivig.patients.forms import number_field

# Common infection types offered as suggestions (free text: the clinician's words are kept).
INFECTION_SUGGESTIONS = (
    "Pneumonia",
    "Bronchitis",
    "Sinusitis",
    "Otitis media",
    "Gastroenteritis",
    "Skin or soft tissue infection",
    "Urinary tract infection",
    "Bacteraemia or sepsis",
    "Meningitis",
    "Osteomyelitis or septic arthritis",
    "Visceral abscess",
)


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class PastDatesForm(forms.Form):
    past_dates: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = clock.localdate()
        for name in self.past_dates:
            if data.get(name) is not None and data[name] > today:
                self.add_error(name, "This date cannot be in the future.")
        return data


class InfectionForm(PastDatesForm):
    past_dates = ("onset",)
    onset = date_field("Onset")
    kind = forms.CharField(
        label="Type of infection",
        max_length=100,
        widget=forms.TextInput(attrs={"list": "infection-types", "autocomplete": "off"}),
    )
    serious_bacterial = forms.BooleanField(label="Serious bacterial infection", required=False)
    antibiotic_days = forms.IntegerField(
        label="Days on antibiotics", min_value=0, max_value=MAX_EPISODE_DAYS, initial=0
    )
    hospital_days = forms.IntegerField(
        label="Days in hospital", min_value=0, max_value=MAX_EPISODE_DAYS, initial=0
    )
    notes = forms.CharField(max_length=300, required=False)


class BleedingForm(PastDatesForm):
    past_dates = ("started_on", "ended_on")
    started_on = date_field("Started on")
    ended_on = date_field("Ended on (blank: that day only)", required=False)
    description = forms.CharField(
        label="Bleeding", max_length=200, help_text="e.g. nosebleed, gum bleeding, petechiae"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", "The bleeding cannot end before it started.")
        return data


class DisabilityForm(PastDatesForm):
    past_dates = ("assessed_on",)
    indication = forms.ChoiceField(choices=NEURO_INDICATIONS)
    assessed_on = date_field("Assessed on")
    incat_arm = forms.IntegerField(label="INCAT arm grade (0-5)", min_value=0, max_value=5, required=False)
    incat_leg = forms.IntegerField(label="INCAT leg grade (0-5)", min_value=0, max_value=5, required=False)
    grip_right_kg = number_field("Grip right (kg)", required=False, example="32.5")
    grip_left_kg = number_field("Grip left (kg)", required=False, example="30")
    notes = forms.CharField(max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        arm, leg = data.get("incat_arm"), data.get("incat_leg")
        if (arm is None) != (leg is None) and not self.errors:
            raise forms.ValidationError("INCAT needs both the arm and the leg grade.")
        grips = [data.get("grip_right_kg"), data.get("grip_left_kg")]
        for name, grip in zip(("grip_right_kg", "grip_left_kg"), grips, strict=True):
            if grip is not None and not 0 <= grip <= 100:
                self.add_error(name, "Grip strength must be between 0 and 100 kg.")
        if arm is None and leg is None and grips == [None, None] and not self.errors:
            raise forms.ValidationError("Enter the INCAT grades, a grip strength, or both.")
        return data


class ReviewForm(PastDatesForm):
    past_dates = ("reviewed_on",)
    indication = forms.ChoiceField(choices=INDICATION_CHOICES)
    reviewed_on = date_field("Reviewed on")
    outcome = forms.ChoiceField(choices=OutcomeReview.Outcome.choices, widget=forms.RadioSelect)
    decision = forms.ChoiceField(choices=OutcomeReview.Decision.choices)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, indications: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if indications:
            ordered = [c for c in INDICATION_CHOICES if c[0] in indications]
            ordered += [c for c in INDICATION_CHOICES if c[0] not in indications]
            self.fields["indication"] = forms.ChoiceField(choices=ordered)


class TrialStartForm(forms.Form):
    indication = forms.ChoiceField(choices=INDICATION_CHOICES)
    kind = forms.ChoiceField(choices=DoseTrial.Kind.choices, widget=forms.RadioSelect)
    current_dose_g = number_field("Current dose (g per infusion)", required=True, example="30")
    current_interval_weeks = forms.IntegerField(label="Current interval (weeks)", min_value=1, max_value=12)
    planned_dose_g = number_field("Planned dose (g per infusion)", required=False, example="25")
    planned_interval_weeks = forms.IntegerField(
        label="Planned interval (weeks)", min_value=1, max_value=12, required=False
    )
    started_on = date_field("Trial starts on")
    review_on = date_field("Review on")
    reason = forms.CharField(max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == DoseTrial.Kind.REDUCTION:
            for name in ("planned_dose_g", "planned_interval_weeks"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, "A dose reduction needs the planned dose and interval.")
        start, review = data.get("started_on"), data.get("review_on")
        if start and review and review <= start:
            self.add_error("review_on", "The review date must be after the start.")
        for name in ("current_dose_g", "planned_dose_g"):
            value = data.get(name)
            if value is not None and not 0 < value <= 400:
                self.add_error(name, "Enter a dose above 0 and at most 400 g.")
        return data


class TrialResultForm(PastDatesForm):
    past_dates = ("result_on",)
    result = forms.ChoiceField(label="Outcome", choices=DoseTrial.Result.choices, widget=forms.RadioSelect)
    result_on = date_field("Decided on")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _product_choices() -> list[tuple[str, str]]:
    products = sorted(default_catalog().all(), key=lambda p: p.name)
    return [("", "No product: dose without vial rounding"), *((p.slug, p.name) for p in products)]


class PkForm(forms.Form):
    target_trough_g_per_l = number_field("Target trough (g/L)", required=True, example="7")
    regimen = forms.ChoiceField(
        label="Regimen",
        choices=[("iv4", "IV every 4 weeks"), ("iv3", "IV every 3 weeks"), ("sc1", "SC weekly")],
    )
    deficiency = forms.ChoiceField(
        choices=[(Deficiency.PRIMARY.value, "Primary"), (Deficiency.SECONDARY.value, "Secondary")],
        help_text="Secondary deficiency lowers clearance and the baseline (Cheng et al. 2025).",
    )
    igm_g_per_l = number_field("IgM (g/L, optional)", required=False, example="0.2")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"] = forms.ChoiceField(
            label="Product (vial rounding)", required=False, choices=_product_choices()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = data.get("target_trough_g_per_l")
        if target is not None and not 2 <= target <= 20:
            self.add_error("target_trough_g_per_l", "Enter a target trough between 2 and 20 g/L.")
        igm = data.get("igm_g_per_l")
        if igm is not None and not 0 < igm <= 10:
            self.add_error("igm_g_per_l", "Enter IgM above 0 and at most 10 g/L, or leave it blank.")
        regimen = data.get("regimen")
        if regimen in REGIMEN_CHOICES and data.get("product"):
            route = REGIMEN_CHOICES[regimen][0]
            product = default_catalog().get(data["product"])
            if route not in product.routes:
                self.add_error("product", f"{product.name} is not given {route.upper()}.")
        return data
