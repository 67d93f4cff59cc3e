"""Forms of the adverse-event register: the worklist filters, the review form, and the two decisions."""

from __future__ import annotations

from typing import Any

from django import forms

from ivig.hemovigilance.actions import EDITABLE_FIELDS
from ivig.hemovigilance.models import SERIOUSNESS_CRITERIA, AdverseEventReport
from ivig.inventory.models import catalog_product

Report = AdverseEventReport


def product_choices() -> list[tuple[str, str]]:
    slugs = (
        Report.objects.exclude(product_slug="").order_by().values_list("product_slug", flat=True).distinct()
    )
    named = [(slug, (p.name if (p := catalog_product(slug)) else slug)) for slug in slugs]
    return sorted(named, key=lambda pair: pair[1])


class RegisterFilterForm(forms.Form):
    """The register's filter form; its fields come from ivig.hemovigilance.filters.AdverseEventFilter."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date comes before the start date.")
        return data


class ReviewForm(forms.ModelForm[AdverseEventReport]):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Report
        fields = list(EDITABLE_FIELDS)  # what the review action accepts, no more
        labels = dict(SERIOUSNESS_CRITERIA) | {
            "dechallenge": "Event abated after use stopped or dose reduced?",
            "rechallenge": "Event reappeared after reintroduction?",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "grade": forms.Select(choices=[(g, f"Grade {g}") for g in range(1, 6)]),
            "died_on": forms.DateInput(attrs={"type": "date"}),
            "reviewer_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "grade"
        ].help_text = "CTCAE v5.0: 1 mild, 2 moderate, 3 severe, 4 life-threatening, 5 death."
        self.fields["causality"].help_text = "WHO-UMC causality category."
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_grade(self) -> int:
        grade = self.cleaned_data["grade"]
        if grade is None or not 1 <= grade <= 5:
            raise forms.ValidationError("Choose a CTCAE grade from 1 to 5.")
        return int(grade)

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReportedForm(forms.Form):
    reported_on = forms.DateField(label="Date reported", widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label="Regulator's reference", max_length=60)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Why it is not reportable",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
