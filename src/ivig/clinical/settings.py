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
    BLOODSTAR = "bloodstar"  # Australia, National Blood Authority (ivig-reference.md s6)
    ONTARIO = "ontario"  # Ontario IVIG dose calculator rules (ivig-reference.md s6)


class RoundingRule(StrEnum):
    NEAREST_VIAL = "nearest-vial"  # ASCIA: round to whole vials (ivig-reference.md s6)
    ROUND_DOWN = "round-down"  # round down when within the tolerance, else up to the next vial combination
    NEAREST_5_G = "nearest-5g"  # Ontario: round to the nearest 5 g (ivig-reference.md s6)


class RateWeightBasis(StrEnum):
    """Which weight turns a labelled mg/kg/min into pump mL/h."""

    DOSING = "dosing"  # the weight the dose was computed on (default: never faster than the dose basis)
    ACTUAL = "actual"  # the patient's actual body weight


def _frozen(mapping: Mapping[str, float] | None = None) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True)
class DosingSettings:
    # Adjusted weight = IBW + factor x (actual - IBW). 0.4: National Blood Authority / BloodSTAR;
    # Harriet Lane uses 0.5 (ivig-reference.md s6).
    adjusted_weight_factor: float = 0.4
    weight_policy: WeightPolicy = WeightPolicy.ACTUAL
    rounding_rule: RoundingRule = RoundingRule.NEAREST_VIAL
    # Site decision: no source was found for a "within 5-10 %" rule (ivig-reference.md s6).
    rounding_tolerance_pct: float = 10.0
    # Largest dose given on one day; None = no site limit. Multi-day courses split evenly under it.
    max_dose_g_per_day: float | None = None
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
    # More than 8 weeks since the last infusion: start at the initial rate (ivig-reference.md s8).
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

    def protocol_for(self, product_slug: str) -> TitrationProtocol:
        return self.protocols_by_product.get(product_slug, self.titration_protocol)
