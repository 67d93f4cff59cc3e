"""The date range a report covers: whole days in the site's time zone, the last 12 months unless chosen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from ivig.clinical.outcomes.reviews import add_months
from ivig.lib.dates import SaneDateField

MAX_DAYS = 5 * 366  # a longer range is refused: the charts stop being readable


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def last_12_months(cls, today: date) -> Period:
        return cls(add_months(today, -12) + timedelta(days=1), today)

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, timezone.get_current_timezone())

    @property
    def end_before(self) -> datetime:
        """The first moment after the period (filters use `< end_before`)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, timezone.get_current_timezone())

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        month, last = self.start.replace(day=1), self.end.replace(day=1)
        out = []
        while month <= last:
            out.append(month)
            month = add_months(month, 1)
        return out

    def query(self) -> str:
        return f"start={self.start.isoformat()}&end={self.end.isoformat()}"


class PeriodForm(forms.Form):
    start = SaneDateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = SaneDateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The end date is before the start date.")
            elif (end - start).days >= MAX_DAYS:
                self.add_error("end", "Choose a range of five years or less.")
        return data


def period_from(params: Any, today: date) -> tuple[PeriodForm, Period | None]:
    """The form bound to the query string (or the default range), and its period when valid."""
    default = Period.last_12_months(today)
    if "start" in params or "end" in params:
        form = PeriodForm(params)
        if not form.is_valid():
            return form, None
        return form, Period(form.cleaned_data["start"], form.cleaned_data["end"])
    return PeriodForm(initial={"start": default.start, "end": default.end}), default
