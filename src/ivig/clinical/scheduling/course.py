"""Multi-day courses: their days stay on consecutive calendar days, so moving one day moves them all.

A course (for example ITP's 1 g/kg on two days in a row, docs/reference/dosing.md s5) is booked as course days
1..n on n consecutive days. Moving one of its days to another date shifts every day by the same number
of days; a day that has already begun (or is over) cannot shift, so then only moves within its own date
are allowed. Pure: dates in, dates or a refusal out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping


class CourseError(ValueError):
    """A move that would break the course apart; the message says why in plain words."""


def is_consecutive(days: Mapping[int, dt.date]) -> bool:
    """Return whether course day k falls k-1 calendar days after the course's first booked day."""
    if not days:
        return True
    first_number = min(days)
    first = days[first_number]
    return all(day == first + dt.timedelta(days=n - first_number) for n, day in days.items())


def shift_course(
    days: Mapping[int, dt.date],
    moved: int,
    to: dt.date,
    *,
    pinned: Collection[int] = (),
) -> dict[int, dt.date]:
    """Return the new date of every course day when course day `moved` goes to `to`.

    `days` maps course day numbers to their current dates; `pinned` are days that cannot move (begun or
    over). Raises CourseError when the course would no longer be consecutive.
    """
    if moved not in days:
        raise CourseError(f"course day {moved} is not booked")
    if not is_consecutive(days):
        raise CourseError("the course's days are not on consecutive days now; rebook the course")
    offset = to - days[moved]
    if offset == dt.timedelta(0):
        return dict(days)
    stuck = sorted(n for n in pinned if n != moved and n in days)
    if stuck:
        names = ", ".join(str(n) for n in stuck)
        raise CourseError(
            f"day {moved} of this course cannot go to another date: course day {names} has already begun "
            "or is over, and a course's days must stay on consecutive days. Move it within its own date."
        )
    return {n: day + offset for n, day in days.items()}
