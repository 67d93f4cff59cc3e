"""The route checker catches each broken rule in a plan that was good before it was changed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ivig.clinical.scheduling import NurseRoute, RouteResult, UnassignedVisit, check_routes, plan_routes
from tests.unit.scheduling.home_days import checked_routes, home_day, nurse, visit

INSTANCE = home_day(
    [
        visit("V1", 10, earliest="08:00", latest="09:00", skills=["paediatric"]),
        visit("V2", 20, earliest="09:00", latest="12:00", skills=["paediatric"]),
        visit("V3", 15, fixed={"nurse": "N2", "start": "10:00"}),
    ],
    [nurse("N1", skills=["paediatric"]), nurse("N2")],
)
GOOD = checked_routes(INSTANCE, plan_routes(INSTANCE))


def _route(result: RouteResult, nurse_id: str) -> NurseRoute:
    return result.route(nurse_id)


def _with(route: NurseRoute, result: RouteResult = GOOD) -> RouteResult:
    routes = tuple(route if r.nurse == route.nurse else r for r in result.routes)
    return replace(result, routes=routes)


def _shift_stop(route: NurseRoute, index: int, **changes: int) -> NurseRoute:
    stops = list(route.stops)
    stops[index] = replace(stops[index], **changes)
    return replace(route, stops=tuple(stops))


def _rules(result: RouteResult) -> set[str]:
    return {p.rule for p in check_routes(INSTANCE, result)}


def test_the_good_plan_is_as_expected() -> None:
    assert [s.visit for s in _route(GOOD, "N1").stops] == ["V1", "V2"]
    assert [s.visit for s in _route(GOOD, "N2").stops] == ["V3"]


def test_it_catches_a_missing_a_duplicate_and_an_unknown_visit() -> None:
    n1 = _route(GOOD, "N1")
    assert "missing" in _rules(_with(replace(n1, stops=n1.stops[:1])))
    assert "duplicate" in _rules(replace(GOOD, unassigned=(UnassignedVisit("V1", "?"),)))
    assert "unknown-visit" in _rules(replace(GOOD, unassigned=(UnassignedVisit("V9", "?"),)))


def test_it_catches_an_unknown_nurse_and_two_routes_for_one_nurse() -> None:
    renamed = replace(GOOD, routes=(_route(GOOD, "N1"), replace(_route(GOOD, "N2"), nurse="N7")))
    assert "unknown-nurse" in _rules(renamed)
    empty = NurseRoute("N1", 480, (), 0, 480)
    assert "duplicate-route" in _rules(replace(GOOD, routes=(*GOOD.routes, empty)))


def test_it_catches_a_start_outside_the_window() -> None:
    n1 = _route(GOOD, "N1")  # V1 latest 09:00; moving it later also pushes V2 but keeps travel right
    moved = _shift_stop(n1, 0, start_min=9 * 60 + 5, end_min=10 * 60 + 5)
    assert "window" in _rules(_with(moved))


def test_it_catches_a_wrong_service_time() -> None:
    assert "service" in _rules(
        _with(_shift_stop(_route(GOOD, "N1"), 0, end_min=_route(GOOD, "N1").stops[0].end_min - 5))
    )


def test_it_catches_a_missing_skill() -> None:
    n1, n2 = _route(GOOD, "N1"), _route(GOOD, "N2")
    swapped = replace(GOOD, routes=(replace(n1, nurse="N2"), replace(n2, nurse="N1")))
    assert "skills" in _rules(swapped)


def test_it_catches_wrong_travel_and_an_arrival_that_does_not_add_up() -> None:
    n1 = _route(GOOD, "N1")
    assert "travel" in _rules(_with(_shift_stop(n1, 1, travel_min=n1.stops[1].travel_min - 5)))
    assert "travel" in _rules(_with(_shift_stop(n1, 1, arrive_min=n1.stops[1].arrive_min - 5)))
    assert "travel" in _rules(_with(replace(n1, return_travel_min=1)))


def test_it_catches_an_overlap_and_a_start_before_arrival() -> None:
    n1 = _route(GOOD, "N1")
    second = n1.stops[1]
    early = second.start_min - 60
    assert {"overlap", "arrival"} <= _rules(_with(_shift_stop(n1, 1, start_min=early, end_min=early + 60)))


def test_it_catches_a_day_outside_the_shift() -> None:
    n1 = _route(GOOD, "N1")
    assert "shift" in _rules(_with(replace(n1, leave_min=7 * 60)))
    assert "shift" in _rules(_with(replace(n1, return_min=17 * 60)))


def test_it_catches_a_confirmed_visit_moved_to_another_nurse_or_time_or_left_out() -> None:
    n2 = _route(GOOD, "N2")
    later = _shift_stop(n2, 0, start_min=10 * 60 + 10, end_min=11 * 60 + 10)
    assert "fixed-moved" in _rules(_with(later))
    dropped = _with(replace(n2, stops=(), return_travel_min=0, leave_min=480, return_min=480))
    dropped = replace(dropped, unassigned=(UnassignedVisit("V3", "cancelled"),))
    assert "fixed-dropped" in _rules(dropped)


def test_it_catches_travel_figures_that_do_not_add_up() -> None:
    assert _rules(replace(GOOD, total_travel_min=GOOD.total_travel_min + 1)) == {"figures"}


@pytest.mark.parametrize("field", ["travel_min", "arrive_min"])
def test_each_change_is_caught_on_its_own_field(field: str) -> None:
    n2 = _route(GOOD, "N2")
    assert _rules(_with(_shift_stop(n2, 0, **{field: getattr(n2.stops[0], field) + 1}))) != set()
