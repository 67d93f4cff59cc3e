"""Home-infusion routes: checked plans, skills, windows, the same routes every run, better than a baseline."""

from __future__ import annotations

import pytest

from ivig.clinical.scheduling import generate_home_day, plan_routes, plan_routes_nearest_neighbour
from tests.unit.scheduling.home_days import checked_routes, home_day, nurse, visit


def test_it_drives_out_along_the_line_and_back() -> None:
    instance = home_day([visit("V2", 20), visit("V1", 10)])
    result = checked_routes(instance, plan_routes(instance))
    route = result.route("N1")
    assert [s.visit for s in route.stops] == ["V1", "V2"]
    assert [s.travel_min for s in route.stops] == [20, 20] and route.return_travel_min == 40
    assert route.leave_min == 8 * 60 and route.stops[0].start_min == 8 * 60 + 20
    assert route.stops[1].start_min == route.stops[0].end_min + 20
    assert result.total_travel_min == 80 and not result.unassigned


def test_it_waits_for_a_window_and_leaves_base_late_enough_not_to_wait_first() -> None:
    instance = home_day([visit("V1", 10, earliest="10:00", latest="10:30")])
    route = checked_routes(instance, plan_routes(instance)).route("N1")
    assert route.leave_min == 10 * 60 - 20 and route.stops[0].arrive_min == route.stops[0].start_min == 600


def test_it_follows_the_windows_rather_than_the_map() -> None:
    instance = home_day([visit("far", 20, latest="08:45"), visit("near", 10, earliest="11:00")])
    route = checked_routes(instance, plan_routes(instance)).route("N1")
    assert [s.visit for s in route.stops] == ["far", "near"]


def test_it_gives_a_visit_needing_a_skill_to_the_nurse_who_has_it() -> None:
    nurses = [nurse("N1"), nurse("N2", skills=["Pediatric"])]
    instance = home_day([visit("child", 10, skills=["paediatric"]), visit("adult", 12)], nurses)
    result = checked_routes(instance, plan_routes(instance))
    assert result.stop("child")[0] == "N2"
    baseline = checked_routes(instance, plan_routes_nearest_neighbour(instance))
    assert baseline.stop("child")[0] == "N2"


@pytest.mark.parametrize("seed", [1, 2])
def test_it_plans_generated_days_that_pass_the_checker_and_beat_the_baseline(seed: int) -> None:
    instance = generate_home_day(20, 3, seed)
    routes = checked_routes(instance, plan_routes(instance, effort=500))
    baseline = checked_routes(instance, plan_routes_nearest_neighbour(instance))
    assert routes.scheduled >= baseline.scheduled
    if routes.scheduled == baseline.scheduled:
        assert routes.total_travel_min <= baseline.total_travel_min
    assert routes.scheduled + len(routes.unassigned) == 20


def test_it_gives_the_same_routes_for_the_same_day() -> None:
    instance = generate_home_day(15, 3, 4)
    first, second = plan_routes(instance, effort=300), plan_routes(instance, effort=300)
    assert first.routes == second.routes and first.unassigned == second.unassigned
    assert plan_routes_nearest_neighbour(instance).routes == plan_routes_nearest_neighbour(instance).routes


def test_it_uses_a_loaded_matrix_over_the_map() -> None:
    # On the map V1 is nearer; the loaded matrix (a river between) says V2 is, and its minutes are used.
    ids = ["N1", "V1", "V2"]
    minutes = [[0, 50, 15], [50, 0, 10.2], [15, 11, 0]]
    instance = home_day(
        [visit("V1", 1), visit("V2", 30)], travel={"matrix": {"ids": ids, "minutes": minutes}}
    )
    route = checked_routes(instance, plan_routes(instance)).route("N1")
    assert [s.visit for s in route.stops] == ["V2", "V1"]
    assert [s.travel_min for s in route.stops] == [15, 11] and route.return_travel_min == 50


def test_it_keeps_confirmed_visits_when_the_day_is_planned_again_after_a_cancellation() -> None:
    nurses = [nurse("N1"), nurse("N2", start="09:00", end="17:00")]
    visits = [visit(f"V{i}", 3 * i, service_min=45) for i in range(1, 9)]
    instance = home_day(visits, nurses)
    first = checked_routes(instance, plan_routes(instance, effort=300))
    # V3 cancels; the morning's first visits of each nurse are confirmed where they are, V9 is added.
    kept = {r.stops[0].visit: (r.nurse, r.stops[0].start_min) for r in first.routes if r.stops}
    again = []
    for item in visits:
        if item["id"] == "V3":
            continue
        if item["id"] in kept:
            who, start = kept[item["id"]]
            item = item | {"fixed": {"nurse": who, "start": f"{start // 60:02d}:{start % 60:02d}"}}
        again.append(item)
    replanned = home_day([*again, visit("V9", 5, service_min=30)], nurses)
    second = checked_routes(replanned, plan_routes(replanned, effort=300))
    for visit_id, (who, start) in kept.items():
        assert second.stop(visit_id)[0] == who and second.stop(visit_id)[1].start_min == start
    assert "V9" in {s.visit for r in second.routes for s in r.stops}
    baseline = checked_routes(replanned, plan_routes_nearest_neighbour(replanned))
    assert all(baseline.stop(v)[1].start_min == start for v, (_w, start) in kept.items())
