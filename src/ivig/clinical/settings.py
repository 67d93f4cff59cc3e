"""Site settings that shape a dosing plan. The engine offers choices; the site decides.

Defaults are the reference's defaults where it names one; every other default is the
more cautious choice and is marked as a site decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from ivig.clinical.catalog.model import DEFAULT_PROTOCOL, TitrationProtocol


class WeightPolicy(StrEnum):
    ACTUAL = "actual"  # always actual body weight
    BLOODSTAR = "bloodstar"  # Australia, National Blood Authority (docs/reference/dosing.md s6)
    ONTARIO = "ontario"  # Ontario IVIG dose calculator rules (docs/reference/dosing.md s6)


class RoundingRule(StrEnum):
    NEAREST_VIAL = "nearest-vial"  # ASCIA: round to whole vials (docs/reference/dosing.md s6)
    ROUND_DOWN = "round-down"  # round down when within the tolerance, else up to the next vial combination
    NEAREST_5_G = "nearest-5g"  # Ontario: round to the nearest 5 g (docs/reference/dosing.md s6)


class RateWeightBasis(StrEnum):
    """Which weight turns a labelled mg/kg/min into pump mL/h."""

    DOSING = "dosing"  # the weight the dose was computed on (default: never faster than the dose basis)
    ACTUAL = "actual"  # the patient's actual body weight


# Hard ceilings derived from the labels (docs/reference/dosing.md s13). A site may lower them, never raise
# them.
LABEL_MAX_G_PER_KG_PER_DAY = 2.0  # Kawasaki 2 g/kg single infusion (AHA 2017); Panzyga CIDP 1-2 g/kg
LABEL_MAX_G_PER_KG_PER_28_DAYS = 2.4  # MMN 0.5-2.4 g/kg per month (Gammagard Liquid)
# Derived: the highest daily dose (2 g/kg) of the most dilute product (5 %, s1) is 40 mL/kg.
LABEL_MAX_ML_PER_KG_PER_DAY = 40.0
# Derived: the longest infusion any source names is Kawasaki's 8-12 h (AHA 2017, s5/s13).
LONGEST_INFUSION_H_PER_DAY = 12.0
CEILING_SOURCE = "highest labelled doses (docs/reference/dosing.md s13)"


def _frozen(mapping: Mapping[str, float] | None = None) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True)
class DosingSettings:
    # Adjusted weight = IBW + factor x (actual - IBW). 0.4: National Blood Authority / BloodSTAR;
    # Harriet Lane uses 0.5 (docs/reference/dosing.md s6).
    adjusted_weight_factor: float = 0.4
    weight_policy: WeightPolicy = WeightPolicy.ACTUAL
    rounding_rule: RoundingRule = RoundingRule.NEAREST_VIAL
    # Site decision: no source was found for a "within 5-10 %" rule (docs/reference/dosing.md s6).
    rounding_tolerance_pct: float = 10.0
    # Largest dose given on one day; None = no site limit. Multi-day courses split evenly under it.
    max_dose_g_per_day: float | None = None
    # Hard limits (stop). Defaults are the label-derived ceilings above; a site may only lower them.
    max_g_per_kg_per_day: float = LABEL_MAX_G_PER_KG_PER_DAY
    max_g_per_kg_per_28_days: float = LABEL_MAX_G_PER_KG_PER_28_DAYS
    max_ml_per_kg_per_day: float = LABEL_MAX_ML_PER_KG_PER_DAY
    max_infusion_h_per_day: float = LONGEST_INFUSION_H_PER_DAY
    # Soft limit (caution) on grams in one day. Site decision: no source gives one; 140 g is the hard
    # ceiling of 2 g/kg (s13) at the 70 kg reference adult of the PK model (s9). None = no such caution.
    caution_g_per_day: float | None = 140.0
    # Whole vials over the prescribed dose: infused only when the prescriber accepts the rounded dose.
    # Above `overage_caution_pct` a caution; above `overage_stop_pct` (or the regimen maximum) a stop.
    # Site decisions (no source gives a rule, docs/reference/dosing.md s6 and s13).
    overage_caution_pct: float = 10.0
    overage_stop_pct: float = 25.0
    # Where the site's limits come from (shown with every stop that names a site limit).
    limits_source: str = "site settings"
    # Pump resolution: rates round DOWN to this, so a pump rate is never above a limit. Site decision.
    pump_precision_ml_per_h: float = 0.1
    rate_weight_basis: RateWeightBasis = RateWeightBasis.DOSING
    # Site cap for patients at thrombosis or renal risk; the lower of this and the label's risk cap wins.
    risk_rate_cap_mg_per_kg_per_min: float | None = None
    # Used where a label says only "as tolerated"; per-product protocols win over the default.
    titration_protocol: TitrationProtocol = DEFAULT_PROTOCOL
    protocols_by_product: Mapping[str, TitrationProtocol] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # Price per gram by product slug; cost is reported only when a price is set.
    price_per_g: Mapping[str, float] = field(default_factory=_frozen)
    # A site may restart a known patient at the last tolerated rate (never above the maximum).
    allow_start_at_last_tolerated_rate: bool = False
    # More than 8 weeks since the last infusion: start at the initial rate (docs/reference/monitoring.md s8).
    restart_after_weeks: float = 8.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.adjusted_weight_factor <= 1.0:
            raise ValueError("adjusted_weight_factor must be between 0 and 1")
        if not 0.0 <= self.rounding_tolerance_pct < 100.0:
            raise ValueError("rounding_tolerance_pct must be between 0 and 100")
        if self.pump_precision_ml_per_h <= 0:
            raise ValueError("pump_precision_ml_per_h must be positive")
        if self.max_dose_g_per_day is not None and self.max_dose_g_per_day <= 0:
            raise ValueError("max_dose_g_per_day must be positive")
        if self.risk_rate_cap_mg_per_kg_per_min is not None and self.risk_rate_cap_mg_per_kg_per_min <= 0:
            raise ValueError("risk_rate_cap_mg_per_kg_per_min must be positive")

        ceilings = (
            ("max_g_per_kg_per_day", self.max_g_per_kg_per_day, LABEL_MAX_G_PER_KG_PER_DAY),
            ("max_g_per_kg_per_28_days", self.max_g_per_kg_per_28_days, LABEL_MAX_G_PER_KG_PER_28_DAYS),
            ("max_ml_per_kg_per_day", self.max_ml_per_kg_per_day, LABEL_MAX_ML_PER_KG_PER_DAY),
            ("max_infusion_h_per_day", self.max_infusion_h_per_day, LONGEST_INFUSION_H_PER_DAY),
        )
        for name, value, label in ceilings:
            if not 0 < value <= label + 1e-9:
                raise ValueError(f"{name} must be above 0 and at most {label:g} ({CEILING_SOURCE})")
        if self.caution_g_per_day is not None and self.caution_g_per_day <= 0:
            raise ValueError("caution_g_per_day must be positive")
        if not 0 <= self.overage_caution_pct <= self.overage_stop_pct:
            raise ValueError("overage_caution_pct must be between 0 and overage_stop_pct")

    def protocol_for(self, product_slug: str) -> TitrationProtocol:
        return self.protocols_by_product.get(product_slug, self.titration_protocol)
