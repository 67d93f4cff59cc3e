"""Booking, moving and cancelling forms. Choices come from the centre's chairs and nurses."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from ivig import clock
from ivig.accounts.models import User
from ivig.lib.dates import SaneDateField
from ivig.scheduling.actions import MAX_WINDOW_DAYS, Needs
from ivig.scheduling.models import Chair

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def nurses() -> Any:
    return User.objects.filter(groups__name="Nurse", is_active=True).order_by("last_name", "first_name")


class NurseChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class BookForm(forms.Form):
    FIND, HAND, HOME = "find", "hand", "home"
    mode = forms.ChoiceField(
        label="How to book",
        choices=[
            (FIND, "Find the first slot (nobody else moves)"),
            (HAND, "Place by hand (chair, nurse, time)"),
            (HOME, "Home visit with a home-infusion nurse"),
        ],
        initial=FIND,
        widget=forms.RadioSelect,
    )
    first = SaneDateField(label="From (first course day)", widget=DATE_INPUT)
    last = SaneDateField(
        label="Latest first day", required=False, widget=DATE_INPUT, help_text="Finding a slot only."
    )
    start = forms.TimeField(label="Preferred start", widget=TIME_INPUT)
    needs_bed = forms.BooleanField(label="Needs a bed", required=False)
    needs_isolation = forms.BooleanField(label="Needs an isolation room", required=False)
    needs_paediatric = forms.BooleanField(label="Needs a paediatric chair", required=False)
    chair = forms.ModelChoiceField(
        queryset=Chair.objects.filter(active=True), required=False, help_text="By hand only."
    )
    nurse = NurseChoice(queryset=User.objects.none(), required=False, help_text="By hand or home visit.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nurse"].queryset = nurses()  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("first", clock.localdate() + timedelta(days=1))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode, first = data.get("mode"), data.get("first")
        if first is not None and first < clock.localdate():
            self.add_error("first", "This day has passed.")
        if mode == self.FIND and first is not None:
            last = data.get("last") or first
            if last < first:
                self.add_error("last", "The latest first day cannot be before the first.")
            elif (last - first).days > MAX_WINDOW_DAYS:
                self.add_error("last", f"Search at most {MAX_WINDOW_DAYS} days at a time.")
            data["last"] = last
        if mode == self.HAND and not data.get("chair"):
            self.add_error("chair", "Choose a chair to place by hand.")
        if mode in (self.HAND, self.HOME) and not data.get("nurse"):
            self.add_error("nurse", "Choose a nurse.")
        return data

    def needs(self) -> Needs:
        data = self.cleaned_data
        return Needs(bool(data["needs_bed"]), bool(data["needs_isolation"]), bool(data["needs_paediatric"]))


class MoveForm(forms.Form):
    day = SaneDateField(widget=DATE_INPUT)
    start = forms.TimeField(widget=TIME_INPUT)
    chair = forms.ModelChoiceField(queryset=Chair.objects.filter(active=True), required=False)
    nurse = NurseChoice(queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nurse"].queryset = nurses()  # type: ignore[attr-defined]

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        if day < clock.localdate():
            raise forms.ValidationError("This day has passed.")
        return day


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=300, widget=forms.TextInput)


class DayForm(forms.Form):
    date = SaneDateField(required=False, widget=DATE_INPUT)


class VisitWindowForm(forms.Form):
    """A home visit's window (the family's earliest and latest start) and the skills it needs."""

    earliest = forms.TimeField(label="Earliest start", required=False, widget=TIME_INPUT)
    latest = forms.TimeField(label="Latest start", required=False, widget=TIME_INPUT)
    needs_paediatric = forms.BooleanField(label="Needs a paediatric nurse", required=False)
    needs_scig_teaching = forms.BooleanField(label="Needs SCIG teaching", required=False)

    @classmethod
    def for_visit(cls, a: Any) -> VisitWindowForm:
        initial = {
            "earliest": a.window_earliest,
            "latest": a.window_latest,
            "needs_paediatric": a.needs_paediatric,
            "needs_scig_teaching": a.needs_scig_teaching,
        }
        return cls(initial=initial, prefix=f"w{a.pk}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        earliest, latest = data.get("earliest"), data.get("latest")
        if earliest and latest and latest < earliest:
            self.add_error("latest", "The latest start cannot be before the earliest.")
        return data
