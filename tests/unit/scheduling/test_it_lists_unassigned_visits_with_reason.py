"""A home visit no route can hold is listed with the reason a coordinator can act on."""

from __future__ import annotations

import pytest

from ivig.clinical.scheduling import check_routes, plan_routes, plan_routes_nearest_neighbour
from tests.unit.scheduling.home_days import checked_routes, home_day, visit

PLANNERS = [plan_routes, plan_routes_nearest_neighbour]


def _reason(result: object, visit_id: str) -> str:
    return next(u.reason for u in result.unassigned if u.visit == visit_id)  # type: ignore[attr-defined]


@pytest.mark.parametrize("plan", PLANNERS)
def test_it_says_no_nurse_has_the_skill(plan: object) -> None:
    instance = home_day([visit("V1", 10, skills=["scig_teaching"])])
    result = checked_routes(instance, plan(instance))  # type: ignore[operator]
    assert _reason(result, "V1") == "no nurse has the skill(s) scig_teaching"


@pytest.mark.parametrize("plan", PLANNERS)
def test_it_says_the_window_cannot_be_met(plan: object) -> None:
    instance = home_day([visit("V1", 30, earliest="07:00", latest="08:30")])  # 60 min away from 08:00
    result = checked_routes(instance, plan(instance))  # type: ignore[operator]
    assert _reason(result, "V1").startswith("window 07:00-08:30 cannot be met")


@pytest.mark.parametrize("plan", PLANNERS)
def test_it_says_the_shift_is_too_short(plan: object) -> None:
    instance = home_day([visit("V1", 10, service_min=460)])  # 460 + 2 x 20 > 8 h
    result = checked_routes(instance, plan(instance))  # type: ignore[operator]
    assert _reason(result, "V1").startswith("shift too short")


@pytest.mark.parametrize("plan", PLANNERS)
def test_it_says_there_is_no_room_when_the_day_is_full(plan: object) -> None:
    visits = [
        visit("V1", 10, latest="08:30", service_min=300),
        visit("V2", 10, latest="08:30", service_min=300),
    ]
    result = checked_routes(home_day(visits), plan(home_day(visits)))  # type: ignore[operator]
    assert result.scheduled == 1 and _reason(result, result.unassigned[0].visit).startswith("no room")


def test_it_lists_a_confirmed_visit_that_clashes_and_the_checker_flags_it() -> None:
    visits = [
        visit("V1", 10, fixed={"nurse": "N1", "start": "09:00"}),
        visit("V2", 20, fixed={"nurse": "N1", "start": "09:30"}),
    ]
    instance = home_day(visits)
    result = plan_routes(instance)
    assert result.stop("V1")[1].start_min == 9 * 60
    assert _reason(result, "V2") == "confirmed with N1 at 09:30 but it clashes with V1 (travel included)"
    assert [p.rule for p in check_routes(instance, result)] == ["fixed-dropped"]


def test_it_lists_a_confirmed_visit_whose_nurse_lacks_the_skill() -> None:
    instance = home_day([visit("V1", 10, skills=["paediatric"], fixed={"nurse": "N1", "start": "09:00"})])
    assert _reason(plan_routes(instance), "V1") == "confirmed with N1, who lacks the skill(s) paediatric"
