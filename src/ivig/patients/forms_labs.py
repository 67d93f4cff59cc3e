"""Lab forms: the results of one blood draw typed in (each kind with its unit), and a CSV to import."""

from __future__ import annotations

from typing import Any

from django import forms

from ivig import clock
from ivig.clinical.labs import ENTRY_UNITS, LabKind
from ivig.patients.forms import number_field
from ivig.patients.lab_actions import LabEntry, LabError, check_lab_value
from ivig.patients.lab_import import COLUMNS
from ivig.patients.models import LabResult, Patient

MAX_UPLOAD_BYTES = 1_000_000


class LabEntryForm(forms.Form):
    """One date, and a value for each kind measured that day (blank kinds are skipped)."""

    taken_on = forms.DateField(
        label="Taken on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.entries: list[LabEntry] = []
        for kind, label in LabResult.Kind.choices:
            name = label.split(" (")[0]
            self.fields[f"value_{kind}"] = number_field(name, required=False, example="7.5")
            units = ENTRY_UNITS[LabKind(kind)]
            self.fields[f"unit_{kind}"] = forms.ChoiceField(
                label=f"{name} unit", choices=[(u, u) for u in units], initial=units[0]
            )
            if len(units) == 1:
                self.fields[f"unit_{kind}"].widget = forms.HiddenInput()

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"value_{kind}"], self[f"unit_{kind}"]) for kind, _label in LabResult.Kind.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        taken_on = data.get("taken_on")
        if taken_on is None:
            return data
        for kind, _label in LabResult.Kind.choices:
            value = data.get(f"value_{kind}")
            if value is None:
                continue
            try:
                self.entries.append(
                    check_lab_value(
                        patient=self.patient,
                        kind=kind,
                        value=value,
                        unit=data.get(f"unit_{kind}") or "",
                        taken_on=taken_on,
                        today=clock.localdate(),
                    )
                )
            except LabError as error:
                self.add_error(f"value_{kind}", str(error))
        if not self.entries and not self.errors:
            raise forms.ValidationError("Enter at least one result.")
        return data


class LabImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file", required=False, help_text=f"Columns: {', '.join(COLUMNS)} (header row first)."
    )
    text = forms.CharField(
        label="Or paste the rows",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )
    source = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError("The file is larger than 1 MB: split it.")
            try:
                data["csv_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError("The file is not UTF-8 text: save it as CSV (UTF-8).") from None
            data["source"] = upload.name
        elif (data.get("text") or "").strip():
            data["csv_text"] = data["text"]
            data["source"] = (data.get("source") or "").strip() or "pasted rows"
        else:
            raise forms.ValidationError("Choose a CSV file or paste the rows.")
        return data
