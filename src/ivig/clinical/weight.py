"""Dosing weight: actual, ideal (Devine) and adjusted body weight, chosen by a site policy.

All formulas and thresholds: docs/reference/dosing.md s6.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ivig.clinical.patient import Sex
from ivig.clinical.settings import WeightPolicy
from ivig.clinical.units import cm_to_in

DEVINE_SOURCE = (
    "Devine IBW: male 50 + 2.3 x (in - 60), female 45.5 + 2.3 x (in - 60) kg (docs/reference/dosing.md s6)"
)
# Devine base weights (kg) at 60 in, and kg per inch above it.
_DEVINE_BASE_KG = {Sex.MALE: 50.0, Sex.FEMALE: 45.5}
_DEVINE_KG_PER_IN = 2.3
_DEVINE_BASE_IN = 60.0

# BloodSTAR: actual weight under 18 years or shorter than 152 cm (docs/reference/dosing.md s6).
BLOODSTAR_MIN_AGE_YEARS = 18.0
BLOODSTAR_MIN_HEIGHT_CM = 152.0
# Ontario: adjusted weight only when BMI > 30, height >= 152.4 cm and weight over the sex
# threshold (> 50 kg male, > 45.5 kg female) (docs/reference/dosing.md s6).
ONTARIO_MIN_BMI = 30.0
ONTARIO_MIN_HEIGHT_CM = 152.4
ONTARIO_MIN_WEIGHT_KG = {Sex.MALE: 50.0, Sex.FEMALE: 45.5}


class WeightBasis(StrEnum):
    ACTUAL = "actual"
    IDEAL = "ideal"
    ADJUSTED = "adjusted"


# Ontario: PI and secondary immunodeficiency doses are titrated to the IgG level instead (s6).
ONTARIO_TITRATED_TO_IGG = frozenset({"pi", "sid"})


class WeightError(ValueError):
    """The dosing weight cannot be computed from what was given."""


@dataclass(frozen=True, slots=True)
class WeightOverride:
    """A prescriber's choice of basis against the policy; the written reason is required."""

    basis: WeightBasis
    reason: str


@dataclass(frozen=True, slots=True)
class DosingWeight:
    kg: float
    basis: WeightBasis
    reason: str  # why this basis, in words a prescriber can check
    policy: WeightPolicy
    actual_kg: float
    ideal_kg: float | None  # None without a height
    adjusted_kg: float | None
    bmi_kg_per_m2: float | None
    overridden: bool = False


def ideal_body_weight_kg(height_cm: float, sex: Sex) -> float:
    """Return the Devine ideal body weight; it is negative below about 98 cm, so callers check."""
    return _DEVINE_BASE_KG[sex] + _DEVINE_KG_PER_IN * (cm_to_in(height_cm) - _DEVINE_BASE_IN)


def adjusted_body_weight_kg(actual_kg: float, ideal_kg: float, factor: float) -> float:
    """Return IBW + factor x (actual - IBW)."""
    return ideal_kg + factor * (actual_kg - ideal_kg)


def body_mass_index(weight_kg: float, height_cm: float) -> float:
    return weight_kg / (height_cm / 100.0) ** 2


def dosing_weight(
    *,
    actual_kg: float,
    sex: Sex,
    age_years: float,
    height_cm: float | None = None,
    pregnant: bool = False,
    policy: WeightPolicy = WeightPolicy.ACTUAL,
    adjusted_factor: float = 0.4,
    override: WeightOverride | None = None,
    indication: str | None = None,
    pre_pregnancy_kg: float | None = None,
) -> DosingWeight:
    """Choose the dosing weight by `policy`, or by `override` with its written reason.

    Ontario doses a pregnant patient on her pre-pregnancy weight (required), and PI and secondary
    immunodeficiency on actual weight (titrated to IgG level instead) (docs/reference/dosing.md s6).
    """
    if actual_kg <= 0:
        raise WeightError("weight must be above 0 kg")
    ontario_note = ""
    if policy is WeightPolicy.ONTARIO and pregnant and override is None:
        if pre_pregnancy_kg is None or pre_pregnancy_kg <= 0:
            raise WeightError(
                "Ontario doses pregnant patients on their pre-pregnancy weight: enter that weight"
            )
        actual_kg, ontario_note = pre_pregnancy_kg, "pre-pregnancy weight; "
    ideal = adjusted = bmi = None
    if height_cm is not None:
        bmi = body_mass_index(actual_kg, height_cm)
        ideal = ideal_body_weight_kg(height_cm, sex)
        # Devine is meaningless (even negative) for very short people: never offer it as a weight.
        if ideal <= 0:
            ideal = None
        else:
            adjusted = adjusted_body_weight_kg(actual_kg, ideal, adjusted_factor)

    def result(basis: WeightBasis, reason: str, *, overridden: bool = False) -> DosingWeight:
        kg = {WeightBasis.ACTUAL: actual_kg, WeightBasis.IDEAL: ideal, WeightBasis.ADJUSTED: adjusted}[basis]
        if kg is None or kg <= 0:
            raise WeightError(f"{basis} weight needs a height for which Devine IBW is positive")
        if ontario_note:
            reason = reason.replace("Ontario: ", f"Ontario: {ontario_note}", 1)
        return DosingWeight(kg, basis, reason, policy, actual_kg, ideal, adjusted, bmi, overridden)

    if override is not None:
        if not override.reason.strip():
            raise WeightError("a weight override needs a written reason")
        return result(override.basis, f"override: {override.reason.strip()}", overridden=True)
    if policy is WeightPolicy.ACTUAL:
        return result(WeightBasis.ACTUAL, "site policy: always actual weight")
    if policy is WeightPolicy.ONTARIO and indication in ONTARIO_TITRATED_TO_IGG:
        return result(
            WeightBasis.ACTUAL,
            "Ontario: actual weight for PI and secondary immunodeficiency (doses titrated to IgG level)",
        )
    if height_cm is None:
        raise WeightError(f"the {policy} weight policy needs the patient's height")
    if policy is WeightPolicy.BLOODSTAR:
        return result(*_bloodstar_basis(actual_kg, age_years, height_cm, pregnant, adjusted))
    return result(*_ontario_basis(actual_kg, sex, height_cm, bmi, adjusted))


def _bloodstar_basis(
    actual_kg: float, age_years: float, height_cm: float, pregnant: bool, adjusted_kg: float | None
) -> tuple[WeightBasis, str]:
    if age_years < BLOODSTAR_MIN_AGE_YEARS:
        return WeightBasis.ACTUAL, "BloodSTAR: actual weight under 18 years"
    if height_cm < BLOODSTAR_MIN_HEIGHT_CM:
        return WeightBasis.ACTUAL, "BloodSTAR: actual weight under 152 cm"
    if pregnant:
        return WeightBasis.ACTUAL, "BloodSTAR: actual weight in pregnancy"
    if adjusted_kg is None or actual_kg < adjusted_kg:
        return WeightBasis.ACTUAL, "BloodSTAR: actual weight is below the adjusted weight"
    return WeightBasis.ADJUSTED, "BloodSTAR: adjusted weight (default for adults >= 152 cm)"


def _ontario_basis(
    actual_kg: float, sex: Sex, height_cm: float, bmi: float | None, adjusted_kg: float | None
) -> tuple[WeightBasis, str]:
    threshold_kg = ONTARIO_MIN_WEIGHT_KG[sex]
    if bmi is None or bmi <= ONTARIO_MIN_BMI:
        return WeightBasis.ACTUAL, "Ontario: actual weight at BMI <= 30"
    if height_cm < ONTARIO_MIN_HEIGHT_CM:
        return WeightBasis.ACTUAL, "Ontario: actual weight under 152.4 cm"
    if actual_kg <= threshold_kg:
        return WeightBasis.ACTUAL, f"Ontario: actual weight at or under {threshold_kg:g} kg ({sex})"
    if adjusted_kg is None or actual_kg < adjusted_kg:
        return WeightBasis.ACTUAL, "Ontario: actual weight is below the adjusted weight"
    return WeightBasis.ADJUSTED, f"Ontario: adjusted weight at BMI {bmi:.1f} > 30"
