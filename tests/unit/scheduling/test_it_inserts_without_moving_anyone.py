"""A new request goes into a booked day without moving, re-seating or re-staffing anyone."""

from __future__ import annotations

import dataclasses

import pytest

from ivig.clinical.scheduling import Appointment, generate_instance, insert_request, optimise
from tests.unit.scheduling.conftest import FAST, checked


def test_it_inserts_into_a_booked_day() -> None:
    instance = generate_instance(16, 5)
    booked = checked(instance, optimise(instance, FAST))
    new = Appointment("NEW", 180, 9 * 60, 11 * 60, frozenset())
    after = insert_request(instance, booked, new, FAST)
    day_after = dataclasses.replace(instance, appointments=(*instance.appointments, new))
    checked(day_after, after)
    before = {a.id: a for a in booked.assignments}
    for a in after.assignments:
        if a.id != "NEW":
            assert a == before[a.id]
    assert "NEW" in {a.id for a in after.assignments} | {u.id for u in after.unscheduled}
    assert after.assignment("NEW").start_min >= 9 * 60


def test_it_refuses_a_request_already_in_the_day() -> None:
    instance = generate_instance(3, 1)
    booked = optimise(instance, FAST)
    with pytest.raises(ValueError, match="already in the day"):
        insert_request(instance, booked, instance.appointments[0], FAST)
