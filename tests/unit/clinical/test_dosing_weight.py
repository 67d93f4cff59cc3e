"""Dosing weight: Devine IBW, adjusted weight and the site policies (docs/reference/dosing.md s6)."""

from __future__ import annotations

import pytest

from ivig.clinical.patient import Sex
from ivig.clinical.settings import WeightPolicy
from ivig.clinical.units import in_to_cm
from ivig.clinical.weight import (
    WeightBasis,
    WeightError,
    WeightOverride,
    adjusted_body_weight_kg,
    dosing_weight,
    ideal_body_weight_kg,
)


def test_it_computes_devine_ideal_weight_for_a_70_inch_man() -> None:
    assert ideal_body_weight_kg(in_to_cm(70), Sex.MALE) == pytest.approx(73.0)  # 50 + 2.3 x 10


def test_it_computes_devine_ideal_weight_for_a_64_inch_woman() -> None:
    assert ideal_body_weight_kg(in_to_cm(64), Sex.FEMALE) == pytest.approx(54.7)  # 45.5 + 2.3 x 4


def test_it_adjusts_weight_with_the_site_factor() -> None:
    assert adjusted_body_weight_kg(120, 73, 0.4) == pytest.approx(91.8)
    assert adjusted_body_weight_kg(120, 73, 0.5) == pytest.approx(96.5)  # Harriet Lane factor


def test_it_uses_actual_weight_under_the_actual_policy() -> None:
    weight = dosing_weight(actual_kg=120, sex=Sex.MALE, age_years=40, height_cm=in_to_cm(70))
    assert (weight.kg, weight.basis) == (120, WeightBasis.ACTUAL)
    assert "always actual" in weight.reason


def test_it_uses_adjusted_weight_for_an_obese_adult_under_bloodstar() -> None:
    weight = dosing_weight(
        actual_kg=120, sex=Sex.MALE, age_years=40, height_cm=in_to_cm(70), policy=WeightPolicy.BLOODSTAR
    )
    assert weight.basis is WeightBasis.ADJUSTED
    assert weight.kg == pytest.approx(91.8)


@pytest.mark.parametrize(
    ("age", "height_cm", "pregnant", "actual_kg", "why"),
    [
        (17, 178, False, 120, "under 18"),
        (40, 150, False, 120, "under 152 cm"),
        (30, 178, True, 120, "pregnancy"),
        (40, 178, False, 60, "below the adjusted"),
    ],
)
def test_it_keeps_actual_weight_for_bloodstar_exclusions(
    age: float, height_cm: float, pregnant: bool, actual_kg: float, why: str
) -> None:
    weight = dosing_weight(
        actual_kg=actual_kg,
        sex=Sex.FEMALE,
        age_years=age,
        height_cm=height_cm,
        pregnant=pregnant,
        policy=WeightPolicy.BLOODSTAR,
    )
    assert weight.basis is WeightBasis.ACTUAL
    assert why in weight.reason


def test_it_requires_a_height_for_bloodstar() -> None:
    with pytest.raises(WeightError, match="height"):
        dosing_weight(actual_kg=80, sex=Sex.MALE, age_years=40, policy=WeightPolicy.BLOODSTAR)


def test_it_adjusts_under_ontario_only_above_bmi_30() -> None:
    obese = dosing_weight(
        actual_kg=100, sex=Sex.MALE, age_years=50, height_cm=170, policy=WeightPolicy.ONTARIO
    )
    lean = dosing_weight(actual_kg=80, sex=Sex.MALE, age_years=50, height_cm=170, policy=WeightPolicy.ONTARIO)
    assert obese.basis is WeightBasis.ADJUSTED  # BMI 34.6
    assert lean.basis is WeightBasis.ACTUAL  # BMI 27.7
    assert "BMI <= 30" in lean.reason


def test_it_keeps_actual_weight_under_ontario_below_152_4_cm() -> None:
    weight = dosing_weight(
        actual_kg=90, sex=Sex.FEMALE, age_years=50, height_cm=152.0, policy=WeightPolicy.ONTARIO
    )
    assert weight.basis is WeightBasis.ACTUAL
    assert "152.4" in weight.reason


def test_it_never_offers_a_negative_ideal_weight_for_a_very_short_child() -> None:
    weight = dosing_weight(
        actual_kg=9, sex=Sex.FEMALE, age_years=1, height_cm=75, policy=WeightPolicy.BLOODSTAR
    )
    assert weight.ideal_kg is None and weight.adjusted_kg is None
    assert weight.kg == 9
    with pytest.raises(WeightError, match="Devine"):
        dosing_weight(
            actual_kg=9,
            sex=Sex.FEMALE,
            age_years=1,
            height_cm=75,
            override=WeightOverride(WeightBasis.IDEAL, "test"),
        )


def test_it_accepts_an_override_with_a_written_reason() -> None:
    weight = dosing_weight(
        actual_kg=120,
        sex=Sex.MALE,
        age_years=40,
        height_cm=in_to_cm(70),
        policy=WeightPolicy.BLOODSTAR,
        override=WeightOverride(WeightBasis.ACTUAL, "severe CIDP relapse on adjusted dose"),
    )
    assert weight.kg == 120 and weight.overridden
    assert "severe CIDP relapse" in weight.reason


def test_it_rejects_an_override_without_a_reason() -> None:
    with pytest.raises(WeightError, match="reason"):
        dosing_weight(
            actual_kg=120, sex=Sex.MALE, age_years=40, override=WeightOverride(WeightBasis.ACTUAL, "  ")
        )
