"""One patient's PK report: the MAP fit, the predicted curve with its band, the half-life interval and
the regimen for a target trough. The command line (`ivig pk fit`) and the patient's PK page both use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ivig.clinical.catalog.model import Product, Route
from ivig.clinical.pk.doses import Dose, ScAbsorption, day_of
from ivig.clinical.pk.fit import Band, FitResult, Level, fit_map, half_life_interval_days, predict_band
from ivig.clinical.pk.model import Covariates
from ivig.clinical.pk.regimen import RegimenSuggestion, suggest_regimen
from ivig.clinical.settings import DosingSettings


@dataclass(frozen=True, slots=True)
class PkReport:
    fit: FitResult
    band: Band  # daily from the first dose to `days_ahead` days after the last event
    half_life_interval_days: tuple[float, float]  # 90 %
    suggestion: RegimenSuggestion


def pk_report(
    covariates: Covariates,
    doses: Sequence[Dose],
    levels: Sequence[Level],
    *,
    target_trough_g_per_l: float,
    interval_weeks: float,
    route: Route,
    duration_h: float,
    product: Product | None = None,
    absorption: ScAbsorption | None = None,
    settings: DosingSettings | None = None,
    days_ahead: int = 28,
) -> PkReport:
    """Fit the levels, draw the curve and band, and suggest a dose; raise PkInputError on unusable input."""
    fit = fit_map(covariates, doses, levels, absorption=absorption)
    last = max([d.start for d in doses] + [level.at for level in levels])
    days = np.arange(0.0, np.floor(day_of(last, fit.origin)) + days_ahead + 1)
    band = predict_band(fit, doses, days, absorption=absorption)
    suggestion = suggest_regimen(
        fit.individual,
        target_trough_g_per_l=target_trough_g_per_l,
        interval_weeks=interval_weeks,
        route=route,
        duration_h=duration_h,
        product=product,
        absorption=absorption,
        settings=settings,
    )
    return PkReport(fit, band, half_life_interval_days(fit), suggestion)
