"""Forms for the shortage data: an indication's priority category, the phase rules, a phase declaration."""

from __future__ import annotations

from typing import Any

from django import forms

from ivig.siteconfig.shortage import INDICATION_LABELS, Category, Decision, Phase, Scope, ShortagePolicy
from ivig.siteconfig.shortage_defaults import RULE_CATEGORIES

RULE_LABELS = {"red": "Red", "blue": "Blue", "grey": "Grey", "unassigned": "No category set"}
DECISION_CHOICES = [(d.value, d.label) for d in Decision if d != Decision.NEVER]


class CategoryForm(forms.Form):
    indication = forms.ChoiceField(choices=list(INDICATION_LABELS.items()))
    category = forms.ChoiceField(label="Priority category", choices=Category.choices)
    scope = forms.ChoiceField(label="Set by", choices=Scope.choices, initial=Scope.SITE)
    source = forms.CharField(
        max_length=300,
        help_text="The text it comes from: the national or regional guideline and its edition, or the "
        "committee decision. Required.",
        error_messages={"required": "Say where the category comes from."},
    )


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(choices=Phase.choices)
    scope = forms.ChoiceField(label="Declared by", choices=Scope.choices, initial=Scope.SITE)
    authority = forms.CharField(
        max_length=200, required=False, help_text="For a regional declaration: the committee."
    )
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the phase changes: the stock, the supplier's notice, the regional declaration.",
        error_messages={"required": "Give the reason for the phase."},
    )


def rule_field_name(phase: str, category: str) -> str:
    return f"rule_{phase}_{category}"


class PolicyForm(forms.Form):
    advisory_below_days = forms.IntegerField(
        label="Suggest Green Advisory below (days of stock)", min_value=1
    )
    amber_below_days = forms.IntegerField(label="Suggest Amber below (days of stock)", min_value=1)
    red_below_days = forms.IntegerField(label="Suggest Red below (days of stock)", min_value=1)
    source = forms.CharField(
        label="Source of this change",
        max_length=300,
        help_text="The committee decision or regional plan these rules come from. Required.",
        error_messages={"required": "Say where these rules come from."},
    )

    def __init__(self, data: Any = None, *, policy: ShortagePolicy, **kwargs: Any) -> None:
        initial = {
            "advisory_below_days": policy.advisory_below_days,
            "amber_below_days": policy.amber_below_days,
            "red_below_days": policy.red_below_days,
        }
        for phase in Phase.values:
            for category in RULE_CATEGORIES:
                initial[rule_field_name(phase, category)] = policy.decision(phase, category)
        super().__init__(data, initial=initial, **kwargs)
        for phase in Phase.values:
            for category in RULE_CATEGORIES:
                self.fields[rule_field_name(phase, category)] = forms.ChoiceField(
                    label=f"{Phase(phase).label}: {RULE_LABELS[category]}", choices=DECISION_CHOICES
                )

    def grid(self) -> list[dict[str, Any]]:
        """One row per phase, one bound field per category, for the table."""
        return [
            {"phase": Phase(phase).label, "cells": [self[rule_field_name(phase, c)] for c in RULE_CATEGORIES]}
            for phase in Phase.values
        ]

    def rules(self) -> dict[str, dict[str, str]]:
        return {
            phase: {c: self.cleaned_data[rule_field_name(phase, c)] for c in RULE_CATEGORIES}
            for phase in Phase.values
        }
