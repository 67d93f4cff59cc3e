"""Suggest a maintenance dose that reaches a target trough at steady state, rounded to the product's vials.

The steady-state level is the baseline plus dose x (level per gram), so the dose for a target trough is
(target - baseline) / (trough per gram); the trough is the lowest level over one interval of the
geometric-series steady state. Vial rounding is the dosing engine's (`ivig.clinical.vials.plan_vials`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from ivig.clinical.catalog.model import Product, Route
from ivig.clinical.pk.doses import Dose, PkInputError, ScAbsorption, schedule_doses
from ivig.clinical.pk.model import PkParameters
from ivig.clinical.pk.simulate import ParameterArrays, steady_state
from ivig.clinical.settings import DosingSettings
from ivig.clinical.vials import VialPlan, plan_vials

DAYS_PER_WEEK = 7.0
# IV maintenance every 3-4 weeks (PI labels, docs/reference/dosing.md s5); SC weekly, or every 2 weeks as
# twice
# the weekly dose (Hizentra label, docs/reference/dosing.md s4).
ALLOWED_INTERVAL_WEEKS = {Route.IV: (3.0, 4.0), Route.SC: (1.0, 2.0)}
# Points per interval where the steady-state minimum is looked for (the SC minimum is not at the dose).
_GRID_POINTS = 673
_ANY_DAY = datetime(2000, 1, 1)


@dataclass(frozen=True, slots=True)
class RegimenSuggestion:
    route: Route
    interval_weeks: float
    target_trough_g_per_l: float
    baseline_g_per_l: float
    trough_g_per_l_per_g: float  # steady-state trough added by each gram per dose
    dose_g: float | None  # None when the baseline alone reaches the target
    vials: VialPlan | None  # None without a product, or without a dose
    note: str

    @property
    def dispensed_g(self) -> float | None:
        return None if self.vials is None else self.vials.dispensed_g

    def trough_for(self, dose_g: float) -> float:
        return self.baseline_g_per_l + dose_g * self.trough_g_per_l_per_g


def steady_state_trough_g_per_l(
    params: ParameterArrays,
    *,
    dose_g: float,
    interval_days: float,
    route: Route,
    duration_h: float = 0.0,
    product: str | None = None,
    absorption: ScAbsorption | None = None,
) -> np.ndarray:
    """Return each patient's lowest steady-state level (g/L) for a dose repeated every `interval_days`."""
    one = schedule_doses([Dose(_ANY_DAY, dose_g, route, duration_h, product)], absorption=absorption)
    times = np.linspace(0.0, interval_days, _GRID_POINTS)
    return np.asarray(steady_state(params, one, interval_days, times).min(axis=1))


def suggest_regimen(
    params: PkParameters,
    *,
    target_trough_g_per_l: float,
    interval_weeks: float,
    route: Route,
    duration_h: float = 0.0,
    product: Product | None = None,
    absorption: ScAbsorption | None = None,
    settings: DosingSettings | None = None,
) -> RegimenSuggestion:
    """Return the dose per infusion for the target trough, and its vials when a product is given.

    `duration_h`: the IV infusion's length; the trough barely depends on it (tests: bolus vs 8 h).
    """
    allowed = ALLOWED_INTERVAL_WEEKS[route]
    if interval_weeks not in allowed:
        weeks = " or ".join(f"{w:g}" for w in allowed)
        raise PkInputError(f"{route.upper()} maintenance is every {weeks} weeks (got {interval_weeks:g})")
    if not target_trough_g_per_l > 0:
        raise PkInputError("the target trough must be above 0 g/L")
    if product is not None and route not in product.routes:
        raise PkInputError(f"{product.name} is not given {route.upper()}")
    arrays = ParameterArrays.of([params])
    interval_days = interval_weeks * DAYS_PER_WEEK
    per_g = float(
        steady_state_trough_g_per_l(
            arrays,
            dose_g=1.0,
            interval_days=interval_days,
            route=route,
            duration_h=duration_h,
            product=None if product is None else product.slug,
            absorption=absorption,
        )[0]
        - params.baseline_g_per_l
    )
    needed = target_trough_g_per_l - params.baseline_g_per_l
    if needed <= 0:
        note = "the endogenous baseline alone reaches the target trough: the model gives no minimum dose"
        return RegimenSuggestion(
            route, interval_weeks, target_trough_g_per_l, params.baseline_g_per_l, per_g, None, None, note
        )
    dose_g = needed / per_g
    vials = None
    note = "give a product to round the dose to its vials"
    if product is not None:
        settings = settings or DosingSettings()
        vials = plan_vials(
            dose_g, product.vial_sizes, settings.rounding_rule, settings.rounding_tolerance_pct
        )
        note = vials.rule_note
    return RegimenSuggestion(
        route, interval_weeks, target_trough_g_per_l, params.baseline_g_per_l, per_g, dose_g, vials, note
    )
