"""Unit conversions for weights, heights and infusion rates.

Rates: a product of concentration C g/100 mL holds C x 10 mg/mL, so
mL/kg/h = mg/kg/min x 60 / (C x 10). For a 10% product 1 mg/kg/min = 0.6 mL/kg/h
(docs/reference/index.md, "How the facts are used").
"""

from __future__ import annotations

import math
import re

# Exact by definition (international yard and pound agreement, 1959).
KG_PER_LB = 0.45359237
CM_PER_IN = 2.54

MIN_PER_H = 60.0
MG_PER_G = 1000.0


class UnitError(ValueError):
    """A quantity whose number or unit cannot be read."""


def lb_to_kg(lb: float) -> float:
    return lb * KG_PER_LB


def kg_to_lb(kg: float) -> float:
    return kg / KG_PER_LB


def in_to_cm(inches: float) -> float:
    return inches * CM_PER_IN


def cm_to_in(cm: float) -> float:
    return cm / CM_PER_IN


def mg_per_ml(concentration_g_per_100ml: float) -> float:
    """Return mg of IgG per mL for a concentration given in g/100 mL (percent)."""
    return concentration_g_per_100ml * 10.0


def grams_to_ml(grams: float, concentration_g_per_100ml: float) -> float:
    return grams * 100.0 / concentration_g_per_100ml


def mg_per_kg_per_min_to_ml_per_kg_per_h(rate: float, concentration_g_per_100ml: float) -> float:
    return rate * MIN_PER_H / mg_per_ml(concentration_g_per_100ml)


def ml_per_kg_per_h_to_mg_per_kg_per_min(rate: float, concentration_g_per_100ml: float) -> float:
    return rate * mg_per_ml(concentration_g_per_100ml) / MIN_PER_H


def pump_ml_per_h(rate_mg_per_kg_per_min: float, weight_kg: float, concentration_g_per_100ml: float) -> float:
    """Return the exact pump rate: mL/h = mg/kg/min x kg x 60 / (C x 10)."""
    return rate_mg_per_kg_per_min * weight_kg * MIN_PER_H / mg_per_ml(concentration_g_per_100ml)


def pump_ml_per_h_to_mg_per_kg_per_min(
    rate_ml_per_h: float, weight_kg: float, concentration_g_per_100ml: float
) -> float:
    return rate_ml_per_h * mg_per_ml(concentration_g_per_100ml) / (weight_kg * MIN_PER_H)


def round_down(value: float, precision: float) -> float:
    """Round down to a multiple of `precision`, so a rounded rate never exceeds its limit.

    The small epsilon keeps 35.0 at 35.0 when float arithmetic gives 34.99999999.
    """
    steps = math.floor(value / precision + 1e-9)
    return round(steps * precision, 6)


_QUANTITY = re.compile(r"^\s*([-+]?[0-9]*\.?[0-9]+)\s*([a-z]*)\s*$", re.IGNORECASE)

_WEIGHT_UNITS = {"kg": 1.0, "kgs": 1.0, "lb": KG_PER_LB, "lbs": KG_PER_LB}
_HEIGHT_UNITS = {"cm": 1.0, "in": CM_PER_IN, "inch": CM_PER_IN, "inches": CM_PER_IN}


def _parse(text: str, default_unit: str, units: dict[str, float], what: str) -> float:
    match = _QUANTITY.match(text)
    if match is None:
        raise UnitError(f"cannot read {what} {text!r}: write a number with a unit, e.g. 70kg")
    number, unit = float(match.group(1)), (match.group(2).lower() or default_unit.lower())
    if unit not in units:
        known = ", ".join(sorted(units))
        raise UnitError(f"unknown {what} unit {unit!r} in {text!r}: use one of {known}")
    return number * units[unit]


def parse_weight_kg(text: str, default_unit: str = "kg") -> float:
    """Read "70", "70kg", "154lb" or "154 lbs" as kilograms; a bare number uses `default_unit`."""
    return _parse(text, default_unit, _WEIGHT_UNITS, "weight")


def parse_height_cm(text: str, default_unit: str = "cm") -> float:
    """Read "170", "170cm" or "67in" as centimetres; a bare number uses `default_unit`."""
    return _parse(text, default_unit, _HEIGHT_UNITS, "height")


# IgG levels: 1 g/L = 100 mg/dL (docs/reference/pharmacokinetics.md s9).
MG_PER_DL_PER_G_PER_L = 100.0
_IGG_UNITS = {"g/l": 1.0, "mg/dl": 1.0 / MG_PER_DL_PER_G_PER_L}


def igg_g_per_l(value: float, unit: str) -> float:
    """Return an IgG level in g/L from a value in g/L or mg/dL."""
    factor = _IGG_UNITS.get(unit.strip().lower().replace(" ", ""))
    if factor is None:
        raise UnitError(f"unknown IgG unit {unit!r}: use g/L or mg/dL")
    return value * factor
