"""Forms for deciding on an authorisation and for adding a version of an indication's criteria."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from ivig.orders.criteria_actions import MAX_DAYS
from ivig.orders.models import IndicationCriteria
from ivig.patients.models import LabResult

DEFAULT_APPROVAL_DAYS = 182  # what decide_authorisation allows when an order has no criteria version

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: str, *, required: bool, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DATE_INPUT,
        error_messages={"invalid": "Enter a date as YYYY-MM-DD.", "required": f"Enter the {label.lower()}."},
    )


def _days_field(label: str, *, required: bool, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=1,
        max_value=MAX_DAYS,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": f"Enter the {label.lower()} as a whole number of days.",
            "required": f"Enter the {label.lower()}.",
            "min_value": f"The {label.lower()} must be at least 1 day.",
            "max_value": f"The {label.lower()} must be at most {MAX_DAYS} days.",
        },
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or refuse."},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the decision."},
    )

    def __init__(self, *args: Any, criteria: IndicationCriteria | None, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        days = criteria.approval_days if criteria else DEFAULT_APPROVAL_DAYS
        self.longest = today + timedelta(days=days)
        self.fields["valid_until"] = _date_field(
            "Authorisation ends on",
            required=False,
            help_text=f"At most {self.longest:%Y-%m-%d} ({days} days, as the criteria allow).",
        )
        self.fields["valid_until"].initial = self.longest

    @property
    def approved(self) -> bool:
        return self.cleaned_data.get("decision") == "approve"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") != "approve":
            data["valid_until"] = None
            return data
        valid_until = data.get("valid_until")
        if valid_until is None:
            if "valid_until" not in self.errors:
                self.add_error("valid_until", "Enter the date the authorisation ends.")
        elif valid_until < self.today:
            self.add_error("valid_until", "The authorisation end date is in the past.")
        elif valid_until > self.longest:
            self.add_error(
                "valid_until", f"The criteria allow an authorisation until {self.longest:%Y-%m-%d} at most."
            )
        return data


class CriteriaForm(forms.Form):
    required_labs = forms.MultipleChoiceField(
        label="Required baseline measures",
        choices=LabResult.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each must be on the order, taken within the baseline age below.",
    )
    baseline_max_age_days = _days_field(
        "Baseline age (days)", required=True, help_text="How old a baseline may be."
    )
    review_interval_days = _days_field(
        "Review interval (days)", required=False, help_text="Blank: no review date (a short course)."
    )
    approval_required = forms.BooleanField(label="Approval required before dispensing", required=False)
    approval_days = _days_field(
        "Approval length (days)", required=True, help_text="The longest an approval may last."
    )
    source = forms.CharField(
        label="Source",
        max_length=300,
        help_text='Where the rule comes from: a guideline, a programme, or e.g. "site decision 2026-11".',
        error_messages={"required": "Say where the rule comes from."},
    )
    effective_from = _date_field("Effective from", required=True, help_text="Today or later.")

    def __init__(self, *args: Any, today: date, latest: IndicationCriteria | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.latest = latest

    def clean_source(self) -> str:
        source = str(self.cleaned_data["source"]).strip()
        if not source:
            raise forms.ValidationError("Say where the rule comes from.")
        return source

    def clean_effective_from(self) -> date:
        day: date = self.cleaned_data["effective_from"]
        if day < self.today:
            raise forms.ValidationError("A new version cannot take effect in the past.")
        if self.latest is not None and day < self.latest.effective_from:
            raise forms.ValidationError(
                f"Version {self.latest.version} takes effect on {self.latest.effective_from:%Y-%m-%d}: "
                "choose that day or later."
            )
        return day
