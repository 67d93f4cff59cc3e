"""When a patient's immunoglobulin therapy is due for review, per regimen (data/regimens.json).

Ongoing therapy: Ontario reviews effectiveness 6 months after the start, then at least yearly, moving to
the lowest effective dose (docs/reference/outcomes.md s10). One-off courses (ITP, Kawasaki, GBS, measles
exposure,
CIDP loading) need an outcome recorded (UK programme); the reference gives no deadline for it, so that
delay is a site setting, unknown until the site sets it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ivig.clinical.regimens import all_regimens

# Ontario: first review at 6 months, then at least every 12 months (docs/reference/outcomes.md s10).
FIRST_REVIEW_MONTHS = 6
REVIEW_EVERY_MONTHS = 12
_SOURCE_ONGOING = (
    "Ontario: effectiveness review at 6 months, then at least yearly (docs/reference/outcomes.md s10)"
)
_SOURCE_COURSE = (
    "UK: outcome recording for short-term indications (docs/reference/outcomes.md s10); deadline: site"
)


class ReviewKind(StrEnum):
    ONGOING = "ongoing"  # maintenance therapy: effectiveness review and lowest effective dose
    COURSE = "course"  # a one-off course: record its outcome


# Every regimen in data/regimens.json (a test checks none is missing).
REVIEW_KIND_BY_REGIMEN: dict[str, ReviewKind] = {
    "pi": ReviewKind.ONGOING,
    "sid": ReviewKind.ONGOING,
    "cidp-maintenance": ReviewKind.ONGOING,
    "mmn": ReviewKind.ONGOING,
    "dm": ReviewKind.ONGOING,
    "measles-exposure": ReviewKind.COURSE,
    "itp": ReviewKind.COURSE,
    "kawasaki": ReviewKind.COURSE,
    "cidp-loading": ReviewKind.COURSE,
    "gbs": ReviewKind.COURSE,
}


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    # Days after a one-off course by which its outcome must be recorded; None: not set by the site.
    course_outcome_due_days: int | None = None


@dataclass(frozen=True, slots=True)
class ReviewDue:
    regimen: str
    kind: ReviewKind
    due: date | None  # None: the site has not set the deadline (course outcomes)
    reason: str
    source: str
    recorded: bool = False  # a course whose outcome was recorded on or after the course: nothing is due


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due(
    regimen: str,
    *,
    started: date,
    last_review: date | None = None,
    settings: ReviewSettings | None = None,
) -> ReviewDue:
    """Return the next review (ongoing therapy) or outcome record (one-off course) and why.

    For a course, `last_review` on or after `started` means its outcome is recorded: nothing is due.
    """
    if regimen not in REVIEW_KIND_BY_REGIMEN or regimen not in all_regimens():
        raise ValueError(f"unknown regimen {regimen!r}: use one of {', '.join(REVIEW_KIND_BY_REGIMEN)}")
    regimen_id = regimen
    kind = REVIEW_KIND_BY_REGIMEN[regimen_id]
    if last_review is not None and last_review < started:
        raise ValueError("the last review cannot be before the start of therapy")
    if kind is ReviewKind.ONGOING:
        if last_review is None:
            due = add_months(started, FIRST_REVIEW_MONTHS)
            return ReviewDue(
                regimen_id, kind, due, "first effectiveness review, 6 months after the start", _SOURCE_ONGOING
            )
        due = add_months(last_review, REVIEW_EVERY_MONTHS)
        return ReviewDue(regimen_id, kind, due, "yearly review: lowest effective dose", _SOURCE_ONGOING)
    if last_review is not None:
        return ReviewDue(
            regimen_id,
            kind,
            None,
            f"outcome recorded on {last_review:%Y-%m-%d}",
            _SOURCE_COURSE,
            recorded=True,
        )
    days = (settings or ReviewSettings()).course_outcome_due_days
    if days is None:
        return ReviewDue(
            regimen_id,
            kind,
            None,
            "record the course's outcome (deadline not set by the site)",
            _SOURCE_COURSE,
        )
    due = date.fromordinal(started.toordinal() + days)
    return ReviewDue(regimen_id, kind, due, f"record the course's outcome within {days} days", _SOURCE_COURSE)
