"""Forms: the diary (patient-facing, translated), the care team's contact, starting a follow-up by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ivig import clock
from ivig.clinical.triage import (
    HIGHEST_PLAUSIBLE_C,
    LOWEST_PLAUSIBLE_C,
    Severity,
    Symptom,
    celsius_to_fahrenheit,
)
from ivig.followup.messages import SEVERITY_LABELS, SYMPTOM_LABELS
from ivig.followup.models import Contact, DiaryReaction
from ivig.siteconfig.models import SiteSettings

SEVERITY_CHOICES = [("", _("No")), *((str(int(s)), label) for s, label in SEVERITY_LABELS.items())]
LIMITS = {
    "C": (Decimal(str(LOWEST_PLAUSIBLE_C)), Decimal(str(HIGHEST_PLAUSIBLE_C))),
    "F": (
        Decimal(str(round(celsius_to_fahrenheit(LOWEST_PLAUSIBLE_C)))),
        Decimal(str(round(celsius_to_fahrenheit(HIGHEST_PLAUSIBLE_C)))),
    ),
}


EMPTY_ENTRY = _(
    "The entry is empty. Please give the temperature, choose how bad any symptom is, "
    'or write a few words (for example "all well").'
)


class DiaryForm(forms.Form):
    temp = forms.DecimalField(
        label=_("Temperature"),
        required=False,
        max_digits=5,
        decimal_places=1,
        help_text=_("Leave empty if you did not take it."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )
    temp_unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[("F", "°F"), ("C", "°C")],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Anything else you want to tell us"), required=False, max_length=1000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["temp_unit"].initial = SiteSettings.load().temperature_unit
        for symptom, label in SYMPTOM_LABELS.items():
            self.fields[f"s_{symptom.value}"] = forms.TypedChoiceField(
                label=label, choices=SEVERITY_CHOICES, required=False, coerce=int, empty_value=None
            )

    def symptom_fields(self) -> list[forms.BoundField]:
        return [self[f"s_{symptom.value}"] for symptom in SYMPTOM_LABELS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        temp, unit = data.get("temp"), data.get("temp_unit")
        if temp is not None and unit in LIMITS:
            low, high = LIMITS[unit]
            if not low <= temp <= high:
                self.add_error(
                    "temp",
                    _("Please check the temperature: %(low)s to %(high)s °%(unit)s is expected.")
                    % {"low": low, "high": high, "unit": unit},
                )
        nothing = temp is None and not self.symptoms() and not (data.get("notes") or "").strip()
        if nothing and not self.errors:
            # An empty entry would count as "filled in" at 24, 48 or 72 hours while telling us nothing.
            raise forms.ValidationError(EMPTY_ENTRY, code="empty")
        return data

    def symptoms(self) -> dict[Symptom, Severity]:
        found = {}
        for symptom in Symptom:
            value = getattr(self, "cleaned_data", {}).get(f"s_{symptom.value}")
            if value:
                found[symptom] = Severity(value)
        return found


class ContactForm(forms.Form):
    outcome = forms.ChoiceField(choices=Contact.Outcome.choices)
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    reaction_description = forms.CharField(label="Reaction (if confirmed)", required=False, max_length=300)
    reaction_grade = forms.TypedChoiceField(
        label="Grade (CTCAE v5.0)",
        choices=[("", "—"), *DiaryReaction.Grade.choices],
        required=False,
        coerce=int,
        empty_value=None,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Contact.Outcome.REACTION:
            if not data.get("reaction_description", "").strip():
                self.add_error("reaction_description", "Describe the confirmed reaction.")
            if data.get("reaction_grade") is None:
                self.add_error("reaction_grade", "Choose the grade of the confirmed reaction.")
        return data


class StartFollowUpForm(forms.Form):
    ended_at = forms.DateTimeField(
        label="Infusion ended at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean_ended_at(self) -> Any:
        ended_at = self.cleaned_data["ended_at"]
        if ended_at > clock.now():
            raise forms.ValidationError("The infusion cannot have ended in the future.")
        return ended_at
