"""The core's course rule: days stay consecutive; moving one shifts all, unless one has begun."""

from __future__ import annotations

import datetime as dt

import pytest

from ivig.clinical.scheduling.course import CourseError, is_consecutive, shift_course

MON = dt.date(2026, 12, 7)
DAY = dt.timedelta(days=1)


def test_it_shifts_every_day_by_the_same_offset() -> None:
    course = {1: MON, 2: MON + DAY, 3: MON + 2 * DAY}
    moved = shift_course(course, 2, MON + 3 * DAY)
    assert moved == {1: MON + 2 * DAY, 2: MON + 3 * DAY, 3: MON + 4 * DAY}
    assert is_consecutive(moved)


def test_it_keeps_a_same_date_move_and_a_single_day() -> None:
    assert shift_course({1: MON, 2: MON + DAY}, 1, MON, pinned=[2]) == {1: MON, 2: MON + DAY}
    assert shift_course({1: MON}, 1, MON + 5 * DAY) == {1: MON + 5 * DAY}


def test_it_refuses_when_another_day_has_begun() -> None:
    with pytest.raises(CourseError, match="course day 1 has already begun"):
        shift_course({1: MON, 2: MON + DAY}, 2, MON + 2 * DAY, pinned=[1])


def test_it_sees_a_broken_course_and_an_unknown_day() -> None:
    assert not is_consecutive({1: MON, 2: MON + 2 * DAY})
    assert is_consecutive({2: MON + DAY, 3: MON + 2 * DAY})  # day 1 cancelled: the rest still in a row
    with pytest.raises(CourseError, match="not on consecutive days"):
        shift_course({1: MON, 2: MON + 2 * DAY}, 1, MON + DAY)
    with pytest.raises(CourseError, match="course day 3 is not booked"):
        shift_course({1: MON}, 3, MON)
