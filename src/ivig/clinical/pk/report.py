"""One patient's PK report: the MAP fit, the predicted curve with its band, the half-life interval and
the regimen for a target trough, and that dose's stops, cautions and information (`pk.limits`). The command
line (`ivig pk fit`) and the patient's PK page both use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ivig.clinical.catalog.model import Product, Route
from ivig.clinical.patient import Finding
from ivig.clinical.pk.doses import Dose, ScAbsorption, day_of
from ivig.clinical.pk.fit import Band, FitResult, Level, fit_map, half_life_interval_days, predict_band
from ivig.clinical.pk.limits import maintenance_regimen, suggestion_findings
from ivig.clinical.pk.model import Covariates
from ivig.clinical.pk.regimen import RegimenSuggestion, suggest_regimen
from ivig.clinical.regimens import Regimen
from ivig.clinical.settings import DosingSettings


@dataclass(frozen=True, slots=True)
class PkReport:
    fit: FitResult
    band: Band  # daily from the first dose to `days_ahead` days after the last event
    half_life_interval_days: tuple[float, float]  # 90 %
    suggestion: RegimenSuggestion
    # The suggested dose against the regimen's range and the hard ceilings: never shown without these.
    findings: tuple[Finding, ...] = ()


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
    dosing_weight_kg: float | None = None,
    regimen: Regimen | None = None,
) -> PkReport:
    """Fit the levels, draw the curve and band, suggest a dose and check it; raise PkInputError on bad input.

    The dose is checked per kg of `dosing_weight_kg` (default: the covariates' weight) against `regimen`
    (default: PI, or SID for a secondary deficiency).
    """
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
    findings = suggestion_findings(
        suggestion,
        weight_kg=covariates.weight_kg if dosing_weight_kg is None else dosing_weight_kg,
        regimen=regimen or maintenance_regimen(covariates.deficiency),
        product=product,
        settings=settings,
    )
    return PkReport(fit, band, half_life_interval_days(fit), suggestion, tuple(findings))
