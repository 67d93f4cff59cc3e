"""Vial plans: which of a product's real vial sizes to dispense for one day's dose.

The site's rounding rule picks the amount to dispense among the amounts the vial sizes can
make; among combinations for that amount the fewest vials win. Amounts are counted in units of
the greatest common divisor of the sizes, and a table of fewest-vials per amount is built once
per size set (an unbounded coin-change DP), then extended on demand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from ivig.clinical.catalog.model import VialSize
from ivig.clinical.settings import RoundingRule

# Sizes are read to 0.01 g: the finest labelled size step (Cutaquig mL sizes at 16.5 %) fits it.
_CENTIGRAMS_PER_G = 100
# Ontario rounds to the nearest 5 g (docs/reference/dosing.md s6).
ROUND_TO_G = 5.0


class VialError(ValueError):
    """No vial plan can be made (no vial sizes, or a dose that is not positive)."""


@dataclass(frozen=True, slots=True)
class VialCount:
    size_g: float
    volume_ml: float  # of one vial
    count: int


@dataclass(frozen=True, slots=True)
class VialPlan:
    prescribed_g: float
    vials: tuple[VialCount, ...]  # largest size first
    dispensed_g: float
    volume_ml: float
    rule: RoundingRule
    rule_note: str  # how the rule was applied, e.g. a fallback; empty when plain

    @property
    def difference_g(self) -> float:
        return self.dispensed_g - self.prescribed_g

    @property
    def difference_pct(self) -> float:
        return 100.0 * self.difference_g / self.prescribed_g

    @property
    def vial_count(self) -> int:
        return sum(v.count for v in self.vials)


class _VialTable:
    """Fewest vials for every amount (in units) up to a limit, for one set of sizes."""

    def __init__(self, sizes_cg: tuple[int, ...]) -> None:
        self.unit_cg = math.gcd(*sizes_cg)
        self.sizes = tuple(s // self.unit_cg for s in sizes_cg)
        self.fewest: list[int] = [0]  # fewest[a] = fewest vials making a units, -1 when impossible
        self.last: list[int] = [-1]  # index of one size in a best combination for a units

    def extend(self, limit: int) -> None:
        inf = 1 << 30
        fewest, last, sizes = self.fewest, self.last, self.sizes
        for amount in range(len(fewest), limit + 1):
            best, best_i = inf, -1
            for i, size in enumerate(sizes):
                if size <= amount:
                    prev = fewest[amount - size]
                    if 0 <= prev < best - 1:
                        best, best_i = prev + 1, i
            fewest.append(best if best_i >= 0 else -1)
            last.append(best_i)

    def achievable(self, amount: int) -> bool:
        if amount >= len(self.fewest):
            self.extend(max(amount, 2 * len(self.fewest)))
        return self.fewest[amount] >= 0

    def nearest_at_or_below(self, amount: int) -> int | None:
        for a in range(amount, 0, -1):
            if self.achievable(a):
                return a
        return None

    def nearest_at_or_above(self, amount: int) -> int:
        a = max(amount, 1)
        while not self.achievable(a):
            a += 1
        return a

    def combination(self, amount: int) -> list[int]:
        counts = [0] * len(self.sizes)
        while amount > 0:
            i = self.last[amount]
            counts[i] += 1
            amount -= self.sizes[i]
        return counts


@cache
def _table(sizes_cg: tuple[int, ...]) -> _VialTable:
    return _VialTable(sizes_cg)


def plan_vials(
    prescribed_g: float,
    vial_sizes: tuple[VialSize, ...],
    rule: RoundingRule = RoundingRule.NEAREST_VIAL,
    tolerance_pct: float = 10.0,
) -> VialPlan:
    """Choose the vials to dispense for `prescribed_g` under the site's rounding rule."""
    if prescribed_g <= 0:
        raise VialError("the dose must be above 0 g")
    if not vial_sizes:
        raise VialError("the product has no vial sizes in its data: the site must configure them")
    by_cg = {round(v.grams * _CENTIGRAMS_PER_G): v for v in vial_sizes}
    sizes_cg = tuple(sorted(by_cg, reverse=True))
    table = _table(sizes_cg)
    target_units = prescribed_g * _CENTIGRAMS_PER_G / table.unit_cg
    amount, note = _choose_amount(table, prescribed_g, target_units, rule, tolerance_pct)
    counts = table.combination(amount)
    vials = tuple(
        VialCount(by_cg[size].grams, by_cg[size].volume_ml, n)
        for size, n in zip(sizes_cg, counts, strict=True)
        if n
    )
    return VialPlan(
        prescribed_g=prescribed_g,
        vials=vials,
        dispensed_g=amount * table.unit_cg / _CENTIGRAMS_PER_G,
        volume_ml=sum(v.volume_ml * v.count for v in vials),
        rule=rule,
        rule_note=note,
    )


def _nearest(table: _VialTable, target_units: float) -> int:
    """Return the achievable amount nearest the target; a tie goes down (less waste)."""
    below = table.nearest_at_or_below(math.floor(target_units + 1e-9))
    above = table.nearest_at_or_above(math.ceil(target_units - 1e-9))
    if below is None or above - target_units < target_units - below - 1e-9:
        return above
    return below


def _choose_amount(
    table: _VialTable, prescribed_g: float, target_units: float, rule: RoundingRule, tolerance_pct: float
) -> tuple[int, str]:
    amount, note = _rule_amount(table, prescribed_g, target_units, rule, tolerance_pct)
    return _within_tolerance(table, target_units, amount, note, tolerance_pct)


def _within_tolerance(
    table: _VialTable, target_units: float, amount: int, note: str, tolerance_pct: float
) -> tuple[int, str]:
    """Apply the site's rounding tolerance under every rule (docs/reference/dosing.md s6: a site setting).

    Never cut a dose by more than the tolerance: go up to the next amount instead. Over the tolerance,
    prefer an amount below within the tolerance; when there is none, the smallest amount above stays and
    only the prescribed dose is infused from it (the plan records the rest as waste).
    """
    low = target_units * (1 - tolerance_pct / 100.0) - 1e-9
    high = target_units * (1 + tolerance_pct / 100.0) + 1e-9
    if amount < low:
        above = table.nearest_at_or_above(math.ceil(target_units - 1e-9))
        return above, f"rounding would cut more than {tolerance_pct:g} %: rounded up to the next vials"
    if amount > high:
        below = table.nearest_at_or_below(math.floor(target_units + 1e-9))
        if below is not None and below >= low:
            return below, f"rounding up would add more than {tolerance_pct:g} %: rounded down within it"
        above = table.nearest_at_or_above(math.ceil(target_units - 1e-9))
        if above < amount:
            return (
                above,
                f"rounding would add more than {tolerance_pct:g} %: the smallest vials above the dose",
            )
    return amount, note


def _rule_amount(
    table: _VialTable, prescribed_g: float, target_units: float, rule: RoundingRule, tolerance_pct: float
) -> tuple[int, str]:
    if rule is RoundingRule.NEAREST_VIAL:
        return _nearest(table, target_units), ""
    if rule is RoundingRule.ROUND_DOWN:
        below = table.nearest_at_or_below(math.floor(target_units + 1e-9))
        if below is not None and below >= target_units * (1 - tolerance_pct / 100.0) - 1e-9:
            return below, ""
        above = table.nearest_at_or_above(math.ceil(target_units - 1e-9))
        return above, f"rounding down would cut more than {tolerance_pct:g} %: rounded up to the next vials"
    rounded_g = round(prescribed_g / ROUND_TO_G) * ROUND_TO_G
    if rounded_g <= 0:
        note = f"under {ROUND_TO_G / 2:g} g the nearest 5 g is 0 g: rounded to the nearest vial instead"
        return _nearest(table, target_units), note
    amount = _nearest(table, rounded_g * _CENTIGRAMS_PER_G / table.unit_cg)
    exact = abs(amount * table.unit_cg - rounded_g * _CENTIGRAMS_PER_G) < 1e-6
    return (
        amount,
        "" if exact else f"the vial sizes cannot make {rounded_g:g} g: nearest amount they can make",
    )
