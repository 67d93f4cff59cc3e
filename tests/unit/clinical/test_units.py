"""Unit conversions (docs/reference/index.md: a 10 % product, 1 mg/kg/min = 0.6 mL/kg/h)."""

from __future__ import annotations

import pytest

from ivig.clinical.units import (
    UnitError,
    mg_per_kg_per_min_to_ml_per_kg_per_h,
    ml_per_kg_per_h_to_mg_per_kg_per_min,
    parse_height_cm,
    parse_weight_kg,
    pump_ml_per_h,
    round_down,
)


def test_it_converts_1_mg_per_kg_per_min_of_a_10_percent_product_to_0_6_ml_per_kg_per_h() -> None:
    assert mg_per_kg_per_min_to_ml_per_kg_per_h(1, 10) == pytest.approx(0.6)
    assert mg_per_kg_per_min_to_ml_per_kg_per_h(1, 5) == pytest.approx(1.2)  # 0.02 mL/kg/min
    assert ml_per_kg_per_h_to_mg_per_kg_per_min(0.6, 10) == pytest.approx(1)


def test_it_computes_pump_ml_per_h() -> None:
    # mL/h = mg/kg/min x kg x 60 / (C x 10): 1 mg/kg/min, 70 kg, 10 % -> 42 mL/h
    assert pump_ml_per_h(1, 70, 10) == pytest.approx(42)


def test_it_rounds_pump_rates_down() -> None:
    assert round_down(33.69, 0.1) == 33.6
    assert round_down(35.0, 0.1) == 35.0
    assert round_down(34.99, 1) == 34


@pytest.mark.parametrize(("text", "kg"), [("70", 70), ("70kg", 70), ("154lb", 69.853), ("154 lbs", 69.853)])
def test_it_reads_weights_in_kg_or_lb(text: str, kg: float) -> None:
    assert parse_weight_kg(text) == pytest.approx(kg, abs=1e-3)


def test_it_reads_a_bare_number_in_the_default_unit() -> None:
    assert parse_weight_kg("154", "lb") == pytest.approx(69.853, abs=1e-3)
    assert parse_height_cm("67", "in") == pytest.approx(170.18)


@pytest.mark.parametrize("text", ["70 stone", "seventy", "70-kg", "--70kg", ""])
def test_it_rejects_unreadable_quantities(text: str) -> None:
    with pytest.raises(UnitError):
        parse_weight_kg(text)


def test_it_reads_a_negative_number_so_the_range_check_can_name_it() -> None:
    # "-3kg" is a readable but impossible weight: the caller's range check says "must be above 0".
    assert parse_weight_kg("-3kg") == -3.0
