"""When not everything fits, the plan lists who is left out and why; it never breaks a rule to fit them."""

from __future__ import annotations

from ivig.clinical.scheduling import Status, optimise, schedule_fcfs
from tests.unit.scheduling.conftest import FAST, checked, day, request


def test_it_leaves_out_what_does_not_fit_and_says_why() -> None:
    instance = day(
        [request("A", 300), request("B", 300), request("C", 300), request("D", 120, needs=["isolation"])],
        chairs=[{"id": "C1", "features": []}],
        nurses=[{"id": "N1", "start": "08:00", "end": "18:00", "max_watching": 4}],
    )
    for plan in (optimise(instance, FAST), schedule_fcfs(instance)):
        checked(instance, plan)
        reasons = {u.id: u.reason for u in plan.unscheduled}
        assert len(plan.assignments) == 2 and len(reasons) == 2
        assert "no chair has what it needs (isolation)" in reasons.pop("D")
        assert "no chair and nurse free" in next(iter(reasons.values()))


def test_it_says_when_a_request_is_longer_than_the_day_or_any_shift() -> None:
    instance = day([request("LONG", 660), request("LATE", 300, earliest="16:00")], max_overtime_min=60)
    plan = checked(instance, optimise(instance, FAST))
    reasons = {u.id: u.reason for u in plan.unscheduled}
    assert "no nurse's shift can hold 660 min" in reasons["LONG"]
    assert "does not fit the day" in reasons["LATE"]


def test_it_gives_no_plan_when_fixed_appointments_clash() -> None:
    both = {"start": "09:00", "chair": "C1"}
    instance = day([request("A", 120, fixed=both), request("B", 120, fixed=both)])
    for plan in (optimise(instance, FAST), schedule_fcfs(instance)):
        assert plan.status is Status.INFEASIBLE and plan.assignments == ()
        assert {u.id for u in plan.unscheduled} == {"A", "B"}
