"""The home-day and routes JSON formats: round trips, and a clear error for each kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ivig.clinical.scheduling import (
    InstanceError,
    generate_home_day,
    load_route_instance,
    parse_route_instance,
    parse_route_result,
    plan_routes,
    route_instance_to_dict,
    route_result_to_dict,
)
from tests.unit.scheduling.home_days import home_day, nurse, visit


def test_it_round_trips_a_generated_day_and_its_routes(tmp_path: Path) -> None:
    instance = generate_home_day(10, 3, 5)
    path = tmp_path / "day.json"
    path.write_text(json.dumps(route_instance_to_dict(instance)))
    assert load_route_instance(path) == instance
    result = plan_routes(instance, effort=200)
    again = parse_route_result(json.loads(json.dumps(route_result_to_dict(result))))
    assert (again.routes, again.unassigned, again.total_travel_min) == (
        result.routes,
        result.unassigned,
        result.total_travel_min,
    )


def test_it_round_trips_a_matrix_locations_and_a_confirmed_visit() -> None:
    ids, minutes = ["base", "home"], [[0, 12], [13, 0]]
    instance = home_day(
        [visit("V1", 5, location="home", fixed={"nurse": "N1", "start": "09:00"}, skills=["SCIG_teaching"])],
        [nurse("N1", location="base", skills=["scig_teaching"])],
        travel={"matrix": {"ids": ids, "minutes": minutes}},
    )
    assert parse_route_instance(route_instance_to_dict(instance)) == instance
    only = instance.visits[0]
    assert only.skills == {"scig_teaching"} and only.fixed is not None and only.fixed.start_min == 540


def test_it_rounds_fractional_matrix_minutes_up_and_keeps_site_travel_settings() -> None:
    instance = home_day([visit("V1", 5)], travel={"road_factor": 1.5, "speed_kmh": 30, "matrix": None})
    assert (instance.travel.road_factor, instance.travel.speed_kmh) == (1.5, 30.0)
    loaded = home_day(
        [visit("V1", 5)], travel={"matrix": {"ids": ["N1", "V1"], "minutes": [[0, 7.1], [6, 0]]}}
    )
    assert loaded.travel.matrix_min == ((0, 8), (6, 0))


def _day(**change: Any) -> dict[str, Any]:
    return {"date": "2026-12-01", "nurses": [nurse("N1")], "visits": [visit("V1", 5)]} | change


BAD: list[tuple[dict[str, Any], str]] = [
    (_day(date="1/12/2026"), "instance.date: expected YYYY-MM-DD"),
    (_day(nurses=[nurse("N1", start="8am")]), 'nurses[0].start: expected a time "HH:MM"'),
    (_day(nurses=[nurse("N1", start="16:00", end="08:00")]), "nurses[0]: the shift must end after it starts"),
    (_day(nurses=[nurse("N1", skills="paediatric")]), "nurses[0].skills: expected a list of skill names"),
    (_day(nurses=[nurse("N1", lat="north")]), "nurses[0].lat: expected a number"),
    (_day(nurses=[nurse("N1", lat=95.0)]), "lat/lon (95.0, 0.0) is not on Earth"),
    (
        _day(visits=[visit("V1", 5, earliest="12:00", latest="10:00")]),
        "latest_start is before earliest_start",
    ),
    (_day(visits=[visit("V1", 5, service_min=0)]), "visits[0].service_min: expected a whole number >= 1"),
    (_day(visits=[visit("N1", 5)]), "two nurses or visits have the id 'N1'"),
    (
        _day(visits=[visit("V1", 5, fixed={"nurse": "N9", "start": "09:00"})]),
        "fixed nurse 'N9' is not a nurse",
    ),
    (
        _day(visits=[visit("V1", 5, latest="10:00", fixed={"nurse": "N1", "start": "11:00"})]),
        "its confirmed start 11:00 is outside its window 08:00-10:00",
    ),
    (_day(travel={"road_factor": 0.8}), "travel.road_factor: roads are never shorter"),
    (_day(travel={"speed_kmh": 0}), "travel.speed_kmh: expected a speed above 0"),
    (_day(travel={"matrix": {"ids": ["N1", "V1"], "minutes": [[0, 5]]}}), "1 rows for 2 ids: not square"),
    (
        _day(travel={"matrix": {"ids": ["N1", "V1"], "minutes": [[0, 5], [5]]}}),
        "minutes[1]: 1 columns for 2 ids",
    ),
    (_day(travel={"matrix": {"ids": ["N1", "V1"], "minutes": [[0, -5], [5, 0]]}}), "cannot be negative"),
    (
        _day(travel={"matrix": {"ids": ["N1", "V1"], "minutes": [[0, 5], [5, 2]]}}),
        "from V1 to itself must be 0",
    ),
    (_day(travel={"matrix": {"ids": ["N1", "N1"], "minutes": [[0, 5], [5, 0]]}}), "an id is listed twice"),
    (
        _day(travel={"matrix": {"ids": ["N1", "V1"], "minutes": [[0, "x"], [5, 0]]}}),
        "expected minutes, got 'x'",
    ),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_it_says_what_is_wrong_and_where(data: dict[str, Any], message: str) -> None:
    with pytest.raises(InstanceError) as error:
        parse_route_instance(data)
    assert message in str(error.value)


def test_it_refuses_to_plan_with_a_matrix_that_leaves_out_a_place() -> None:
    instance = parse_route_instance(_day(travel={"matrix": {"ids": ["N1"], "minutes": [[0]]}}))
    with pytest.raises(InstanceError, match="does not cover the location"):
        plan_routes(instance)


def test_it_reads_a_result_with_clear_errors() -> None:
    with pytest.raises(InstanceError, match=r"routes\[0\].stops\[0\].start"):
        parse_route_result(
            {
                "method": "routing",
                "total_travel_min": 0,
                "routes": [
                    {
                        "nurse": "N1",
                        "leave": "08:00",
                        "return": "09:00",
                        "return_travel_min": 5,
                        "stops": [{"visit": "V1", "arrive": "08:10", "start": "late", "end": "08:50"}],
                    }
                ],
                "unassigned": [],
            }
        )
