"""Travel minutes: great-circle distance x road factor / speed rounded up, or the loaded matrix's minutes."""

from __future__ import annotations

import pytest

from ivig.clinical.scheduling import TravelSettings, haversine_km, travel_matrix
from ivig.clinical.scheduling.travel import drive_min
from tests.unit.scheduling.home_days import home_day, nurse, visit


def test_it_measures_great_circle_distances() -> None:
    assert haversine_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.5, abs=0.5)  # London-Paris
    assert haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.195, abs=0.001)  # a degree of the meridian
    assert haversine_km(10.0, 20.0, 10.0, 20.0) == 0.0


def test_it_rounds_driving_minutes_up() -> None:
    settings = TravelSettings(road_factor=1.3, speed_kmh=40.0)
    assert drive_min(10.0, settings) == 20  # 19.5 min
    assert drive_min(20.0, TravelSettings(road_factor=1.0, speed_kmh=60.0)) == 20  # exactly 20, not 21
    assert drive_min(0.01, settings) == 1


def test_it_builds_a_matrix_from_coordinates_with_shared_locations() -> None:
    instance = home_day(
        [visit("V1", 10, location="flat-3"), visit("V2", 10, location="flat-3"), visit("V3", 20)],
        [nurse("N1")],
    )
    matrix = travel_matrix(instance)
    assert matrix.ids == ("N1", "flat-3", "V3")
    assert matrix.between("N1", "flat-3") == 20 and matrix.between("flat-3", "V3") == 20
    assert matrix.between("N1", "V3") == 40 and matrix.between("V3", "V3") == 0


def test_it_takes_the_needed_rows_of_a_bigger_loaded_matrix() -> None:
    ids = ["depot", "N1", "V1", "elsewhere"]
    minutes = [[0, 1, 2, 3], [1, 0, 7, 4], [2, 9, 0, 5], [3, 4, 5, 0]]
    instance = home_day([visit("V1", 50)], travel={"matrix": {"ids": ids, "minutes": minutes}})
    matrix = travel_matrix(instance)
    assert matrix.ids == ("N1", "V1") and matrix.minutes == ((0, 7), (9, 0))
