"""The vial plan is checked against brute force: nearest amount the vials can make, then fewest vials."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ivig.clinical.catalog import default_catalog
from ivig.clinical.settings import RoundingRule
from ivig.clinical.vials import plan_vials

PRODUCTS = [p for p in default_catalog().all() if p.vial_sizes]


def _fewest_by_amount_cg(sizes_cg: list[int], limit_cg: int) -> dict[int, int]:
    """Enumerate every combination up to `limit_cg` and keep the fewest vials for each total."""
    best: dict[int, int] = {}

    def walk(index: int, total: int, count: int) -> None:
        if index == len(sizes_cg):
            if total and count < best.get(total, 1 << 30):
                best[total] = count
            return
        size = sizes_cg[index]
        n = 0
        while total + n * size <= limit_cg:
            walk(index + 1, total + n * size, count + n)
            n += 1

    walk(0, 0, 0)
    return best


@settings(max_examples=60, deadline=None)
@given(product=st.sampled_from(PRODUCTS), dose_g=st.floats(min_value=0.3, max_value=45.0))
def test_it_dispenses_the_nearest_amount_with_the_fewest_vials(product, dose_g):
    sizes_cg = sorted({round(v.grams * 100) for v in product.vial_sizes})
    target_cg = dose_g * 100
    options = _fewest_by_amount_cg(sizes_cg, int(target_cg) + sizes_cg[0] + 1)

    # A tolerance of 99 % leaves the nearest-vial rule alone; the tolerance has its own tests.
    plan = plan_vials(dose_g, product.vial_sizes, RoundingRule.NEAREST_VIAL, tolerance_pct=99.0)

    dispensed_cg = round(plan.dispensed_g * 100)
    nearest_distance = min(abs(amount - target_cg) for amount in options)
    assert abs(dispensed_cg - target_cg) <= nearest_distance + 1e-6, product.slug
    assert plan.vial_count == options[dispensed_cg], product.slug
    assert round(sum(v.size_g * v.count for v in plan.vials) * 100) == dispensed_cg


@settings(max_examples=60, deadline=None)
@given(
    product=st.sampled_from(PRODUCTS),
    dose_g=st.floats(min_value=0.3, max_value=45.0),
    tolerance_pct=st.sampled_from([0.0, 5.0, 10.0]),
)
def test_it_rounds_down_only_within_the_tolerance(product, dose_g, tolerance_pct):
    sizes_cg = sorted({round(v.grams * 100) for v in product.vial_sizes})
    target_cg = dose_g * 100
    options = _fewest_by_amount_cg(sizes_cg, int(target_cg) + sizes_cg[0] + 1)
    below = [a for a in options if a <= target_cg + 1e-6]

    plan = plan_vials(dose_g, product.vial_sizes, RoundingRule.ROUND_DOWN, tolerance_pct)

    dispensed_cg = round(plan.dispensed_g * 100)
    if below and max(below) >= target_cg * (1 - tolerance_pct / 100) - 1e-6:
        assert dispensed_cg == max(below)
    else:
        assert dispensed_cg == min(a for a in options if a >= target_cg - 1e-6)
    assert plan.vial_count == options[dispensed_cg]
