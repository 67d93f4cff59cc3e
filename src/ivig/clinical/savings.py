"""Grams saved by the site's dosing weight and by vial rounding, against dosing on actual body weight.

For one dispensed order there are three amounts: the course dose on actual body weight, the course dose on
the dosing weight the plan used (the site's weight policy or the prescriber's choice of basis), and the grams
that left the pharmacy in whole vials. The weight policy saves the first minus the second; vial rounding
saves the second minus the third (negative when rounding added grams). Pure arithmetic, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DoseSavings:
    actual_weight_g: float  # the course on actual body weight
    policy_g: float  # the course on the dosing weight the plan used
    dispensed_g: float  # the whole vials dispensed
    orders: int = 1

    @property
    def by_weight_policy_g(self) -> float:
        return round(self.actual_weight_g - self.policy_g, 2)

    @property
    def by_rounding_g(self) -> float:
        return round(self.policy_g - self.dispensed_g, 2)

    @property
    def total_g(self) -> float:
        return round(self.actual_weight_g - self.dispensed_g, 2)

    @property
    def total_pct(self) -> float | None:
        """The total saving as a share of the actual-weight grams; None when those are zero."""
        if self.actual_weight_g <= 0:
            return None
        return round(100 * (self.actual_weight_g - self.dispensed_g) / self.actual_weight_g, 1)


def dose_savings(*, actual_weight_g: float, policy_g: float, dispensed_g: float) -> DoseSavings:
    """Return the savings of one order; amounts must not be negative."""
    for name, value in (
        ("actual_weight_g", actual_weight_g),
        ("policy_g", policy_g),
        ("dispensed_g", dispensed_g),
    ):
        if value < 0:
            raise ValueError(f"{name} cannot be negative (got {value})")
    return DoseSavings(float(actual_weight_g), float(policy_g), float(dispensed_g))


def add_up(items: Iterable[DoseSavings]) -> DoseSavings:
    """Return the sum of several orders' savings."""
    actual = policy = dispensed = 0.0
    orders = 0
    for item in items:
        actual += item.actual_weight_g
        policy += item.policy_g
        dispensed += item.dispensed_g
        orders += item.orders
    return DoseSavings(round(actual, 2), round(policy, 2), round(dispensed, 2), orders)
