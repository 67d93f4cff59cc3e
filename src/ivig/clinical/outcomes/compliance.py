"""Outcome-recording compliance: of the reviews that fell due in a period, how many were recorded.

For one patient and regimen, the schedule is `review_due` (docs/reference/outcomes.md s10): ongoing therapy is
reviewed
6 months after the start, then 12 months after each recorded review; a one-off course needs its outcome
recorded. A review falls due in the period when its date is within the period and not after `today`. It
counts as recorded when a review of that indication was recorded on or after the previous one (or the start)
and on or before the period's end; on time when that was no later than the due date. A course whose deadline
the site has not set counts from the course date: its outcome is needed, with no lateness. Pure Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ivig.clinical.outcomes.reviews import ReviewKind, ReviewSettings, review_due


@dataclass(frozen=True, slots=True)
class Compliance:
    due: int = 0
    recorded: int = 0
    on_time: int = 0

    @property
    def outstanding(self) -> int:
        return self.due - self.recorded

    @property
    def recorded_pct(self) -> float | None:
        return None if self.due == 0 else round(100 * self.recorded / self.due, 1)

    def __add__(self, other: Compliance) -> Compliance:
        return Compliance(self.due + other.due, self.recorded + other.recorded, self.on_time + other.on_time)


def review_compliance(
    regimen: str,
    *,
    started: date,
    reviews: Iterable[date],
    period_start: date,
    period_end: date,
    today: date,
    settings: ReviewSettings | None = None,
) -> Compliance:
    """Count the reviews of one patient's regimen due in the period, and those recorded (see the module)."""
    if period_end < period_start:
        raise ValueError("the period ends before it starts")
    limit = min(period_end, today)
    recorded_days = sorted(day for day in reviews if started <= day <= period_end)
    first = review_due(regimen, started=started, settings=settings)
    if first.kind is ReviewKind.COURSE:
        needed_on = first.due or started
        if not period_start <= needed_on <= limit:
            return Compliance()
        if not recorded_days:
            return Compliance(due=1)
        on_time = first.due is None or recorded_days[0] <= first.due
        return Compliance(due=1, recorded=1, on_time=int(on_time))
    result, last = Compliance(), None
    remaining = list(recorded_days)
    while True:
        due = review_due(regimen, started=started, last_review=last, settings=settings).due
        if due is None or due > limit:
            return result
        review = remaining.pop(0) if remaining else None
        if due >= period_start:
            result += Compliance(
                due=1, recorded=int(review is not None), on_time=int(review is not None and review <= due)
            )
        if review is None:
            return result
        last = review
