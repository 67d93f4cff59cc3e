"""Grams saved by the dosing weight and by vial rounding, against the same order planned on actual weight."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ivig.reports.savings import savings_by_indication
from tests.plugins.reports import PERIOD, dispensed, lot, usage_data


def test_it_compares_each_dispensed_order_with_actual_weight_dosing(db, make_user, make_patient):
    data = usage_data(make_user, make_patient)  # three orders without a verified plan: left out
    heavy = make_patient(data.users["Ann"], given_name="Four", weight_kg="100", height_cm="160")
    privigen = lot(data.users["Pharmacist"], "privigen", "10", "PV2")
    # The pharmacist verified 78.4 g on adjusted weight; 8 x 10 g vials went out. On actual weight
    # (100 kg x 1 g/kg, the clinical core's plan) it would have been 100 g.
    dispensed(
        data,
        heavy,
        "cidp-maintenance",
        privigen,
        8,
        date(2026, 5, 5),
        data.users["Ann"],
        weight_kg=Decimal("100"),
        height_cm=Decimal("160"),
        dose_g_per_kg=Decimal("1"),
        weight_basis="adjusted",
        weight_basis_reason="BMI over 35",
        verified_plan={"prescribed_dose_g": 78.4},
        verified_product_slug="privigen",
        verified_weight_kg=Decimal("100"),
    )

    table, skipped = savings_by_indication(PERIOD)

    assert skipped == 3
    assert table.rows == [("CIDP", 1, 100.0, 78.4, 80.0, 21.6, -1.6, 20.0, 20.0)]
    assert table.total == ("All indications", 1, 100.0, 78.4, 80.0, 21.6, -1.6, 20.0, 20.0)


def test_it_takes_an_order_planned_on_actual_weight_as_its_own_comparison(db, make_user, make_patient):
    data = usage_data(make_user, make_patient)
    patient = data.patients[0]
    # Rounded down from 31.2 g to 3 x 10 g vials: rounding saved 1.2 g, the weight policy nothing.
    dispensed(
        data,
        patient,
        "pi",
        data.lots["privigen"],
        3,
        date(2026, 6, 2),
        data.users["Ann"],
        verified_plan={"prescribed_dose_g": 31.2, "weight_basis": "actual"},
        verified_product_slug="privigen",
    )

    table, skipped = savings_by_indication(PERIOD)

    assert skipped == 3
    assert table.rows == [("Primary immunodeficiency", 1, 31.2, 31.2, 30.0, 0.0, 1.2, 1.2, 3.8)]
