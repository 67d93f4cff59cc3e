"""The population IgG model: two compartments plus an endogenous baseline.

Cheng, Huang, Worth, Booth, Standing, Br J Clin Pharmacol 2025, doi:10.1002/bcp.70420 (64 children,
444 samples; docs/reference/pharmacokinetics.md s9). The measured IgG is the endogenous baseline plus the
exogenous
(infused) IgG in the central compartment. Every number below names that source; the model holds no other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum

SOURCE = (
    "Cheng et al., Br J Clin Pharmacol 2025, doi:10.1002/bcp.70420 (docs/reference/pharmacokinetics.md s9)"
)

# Typical values at the reference weight, primary immunodeficiency (SOURCE).
REFERENCE_WEIGHT_KG = 70.0
TYPICAL_CL_L_PER_DAY = 0.308
TYPICAL_V1_L = 3.59
TYPICAL_Q_L_PER_DAY = 1.08
TYPICAL_V2_L = 7.37
TYPICAL_BASELINE_G_PER_L = 5.67
# Allometric exponents: 0.75 on clearances, 1 on volumes (SOURCE).
CLEARANCE_EXPONENT = 0.75
VOLUME_EXPONENT = 1.0
# Secondary antibody deficiency multiplies CL and the baseline (SOURCE).
SECONDARY_CL_FACTOR = 0.542
SECONDARY_BASELINE_FACTOR = 0.541
# Baseline x (IgM / 0.21) ** 0.11 (SOURCE). The reference gives 0.21 without a unit; IgM is read in g/L,
# the unit of every concentration in the model (0.21 g/L is a plausible median IgM in antibody deficiency).
IGM_REFERENCE_G_PER_L = 0.21
IGM_EXPONENT = 0.11
# Between-patient variability as coefficients of variation (SOURCE); V1 and Q have none in the model.
BPV_CV_CL = 0.427
BPV_CV_V2 = 1.386
BPV_CV_BASELINE = 0.493
# Residual error: additive plus proportional (SOURCE).
RESIDUAL_ADDITIVE_G_PER_L = 0.812
RESIDUAL_PROPORTIONAL = 0.117


def lognormal_sd(cv: float) -> float:
    """Return the SD of log(parameter) for a log-normal CV: omega^2 = ln(1 + CV^2)."""
    return math.sqrt(math.log1p(cv * cv))


# Log-scale SDs of the random effects, in the order (CL, V2, baseline) the fit estimates them.
OMEGA_CL = lognormal_sd(BPV_CV_CL)
OMEGA_V2 = lognormal_sd(BPV_CV_V2)
OMEGA_BASELINE = lognormal_sd(BPV_CV_BASELINE)


class Deficiency(StrEnum):
    PRIMARY = "primary"  # primary humoral immunodeficiency: the model's reference group
    SECONDARY = "secondary"  # secondary antibody deficiency


@dataclass(frozen=True, slots=True)
class Covariates:
    weight_kg: float
    deficiency: Deficiency = Deficiency.PRIMARY
    # Optional: absent means no IgM adjustment of the baseline (the typical patient's IgM is assumed).
    igm_g_per_l: float | None = None

    def __post_init__(self) -> None:
        if not self.weight_kg > 0:
            raise ValueError("weight must be above 0 kg")
        if self.igm_g_per_l is not None and not self.igm_g_per_l > 0:
            raise ValueError("IgM must be above 0 g/L (leave it out when not measured)")


@dataclass(frozen=True, slots=True)
class PkParameters:
    """One patient's disposition parameters (typical or individual)."""

    cl_l_per_day: float
    v1_l: float
    q_l_per_day: float
    v2_l: float
    baseline_g_per_l: float

    @property
    def vss_l(self) -> float:
        return self.v1_l + self.v2_l

    @property
    def rates_per_day(self) -> tuple[float, float]:
        """Return the disposition rate constants (alpha, beta), alpha > beta."""
        k10 = self.cl_l_per_day / self.v1_l
        k12 = self.q_l_per_day / self.v1_l
        k21 = self.q_l_per_day / self.v2_l
        total = k10 + k12 + k21
        root = math.sqrt(total * total - 4.0 * k10 * k21)
        return (total + root) / 2.0, (total - root) / 2.0

    @property
    def terminal_half_life_days(self) -> float:
        return math.log(2.0) / self.rates_per_day[1]

    def scaled(self, *, cl: float = 1.0, v2: float = 1.0, baseline: float = 1.0) -> PkParameters:
        """Return the parameters with CL, V2 and the baseline multiplied (random effects exp(eta))."""
        return replace(
            self,
            cl_l_per_day=self.cl_l_per_day * cl,
            v2_l=self.v2_l * v2,
            baseline_g_per_l=self.baseline_g_per_l * baseline,
        )


def typical_parameters(covariates: Covariates) -> PkParameters:
    """Return the population typical values for a patient's weight, deficiency type and IgM."""
    size = covariates.weight_kg / REFERENCE_WEIGHT_KG
    clearance_scale = size**CLEARANCE_EXPONENT
    volume_scale = size**VOLUME_EXPONENT
    cl = TYPICAL_CL_L_PER_DAY * clearance_scale
    baseline = TYPICAL_BASELINE_G_PER_L
    if covariates.deficiency is Deficiency.SECONDARY:
        cl *= SECONDARY_CL_FACTOR
        baseline *= SECONDARY_BASELINE_FACTOR
    if covariates.igm_g_per_l is not None:
        baseline *= (covariates.igm_g_per_l / IGM_REFERENCE_G_PER_L) ** IGM_EXPONENT
    return PkParameters(
        cl_l_per_day=cl,
        v1_l=TYPICAL_V1_L * volume_scale,
        q_l_per_day=TYPICAL_Q_L_PER_DAY * clearance_scale,
        v2_l=TYPICAL_V2_L * volume_scale,
        baseline_g_per_l=baseline,
    )


def residual_sd_g_per_l(predicted_g_per_l: float) -> float:
    """Return the SD of a measured level around the prediction (combined error, variances added)."""
    return math.hypot(RESIDUAL_ADDITIVE_G_PER_L, RESIDUAL_PROPORTIONAL * predicted_g_per_l)
