"""Grams saved by the dosing weight and by vial rounding (clinical.savings)."""

from __future__ import annotations

import pytest

from ivig.clinical.savings import add_up, dose_savings


def test_it_splits_the_saving_between_weight_policy_and_rounding():
    saving = dose_savings(actual_weight_g=100, policy_g=78.4, dispensed_g=80)

    assert saving.by_weight_policy_g == 21.6
    assert saving.by_rounding_g == -1.6  # rounding up to whole vials added grams
    assert saving.total_g == 20.0
    assert saving.total_pct == 20.0


def test_it_adds_orders_up():
    total = add_up(
        [
            dose_savings(actual_weight_g=100, policy_g=78.4, dispensed_g=80),
            dose_savings(actual_weight_g=41, policy_g=41, dispensed_g=40),
        ]
    )

    assert (total.orders, total.actual_weight_g, total.policy_g, total.dispensed_g) == (
        2,
        141.0,
        119.4,
        120.0,
    )
    assert (total.by_weight_policy_g, total.by_rounding_g, total.total_g) == (21.6, -0.6, 21.0)


def test_it_has_no_percentage_without_grams_and_refuses_negative_amounts():
    assert add_up([]).total_pct is None
    with pytest.raises(ValueError, match="dispensed_g"):
        dose_savings(actual_weight_g=10, policy_g=10, dispensed_g=-1)
