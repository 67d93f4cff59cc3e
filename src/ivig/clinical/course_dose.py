"""The course's dose from the request: g/kg, days and grams, IV or SC, with the regimen's range checked.

Split from `ivig.clinical.plan`, which turns these into vials, rates and findings.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ivig.clinical.catalog.model import Product
from ivig.clinical.limits import range_findings
from ivig.clinical.patient import CodedError, Finding, Severity
from ivig.clinical.regimens import DoseOption, DosePer, Regimen
from ivig.clinical.scig import ScPlanError, weekly_sc_dose_g
from ivig.clinical.settings import CEILING_SOURCE, DosingSettings

if TYPE_CHECKING:
    from ivig.clinical.plan import PlanRequest


class PlanError(CodedError):
    """The request cannot be planned as given; `code` is stable, the message says what to change."""


def iv_dose(
    request: PlanRequest,
    product: Product,
    regimen: Regimen,
    weight_kg: float,
    settings: DosingSettings,
    warnings: list[Finding],
) -> tuple[float, int, float]:
    options = regimen.options_for(product.slug)
    option: DoseOption = regimen.default_option(product.slug)
    dose = request.dose_g_per_kg
    if dose is None:
        if option.usual_g_per_kg is None:
            raise PlanError(
                "dose-required",
                f"{regimen.name}: the label gives a range ({option.describe()}), not one dose: "
                "give the dose per kg",
            )
        dose = option.usual_g_per_kg
    elif request.days is None:
        option = next((o for o in options if o.min_g_per_kg - 1e-9 <= dose <= o.max_g_per_kg + 1e-9), option)
    if not math.isfinite(dose) or dose <= 0:
        raise PlanError("bad-dose", "the dose per kg must be above 0")
    days = (
        request.days if request.days is not None else _usual_days(regimen, option, dose, settings, warnings)
    )
    if days < 1:
        raise PlanError("bad-days", "a course has at least 1 day")
    # Off-label use is the risk screen's caution ("off-label-indication"), once.
    warnings.extend(range_findings(regimen, product, dose, days, options))
    return dose, days, regimen.total_g_per_kg(dose, days) * weight_kg


def _usual_days(
    regimen: Regimen, option: DoseOption, dose: float, settings: DosingSettings, warnings: list[Finding]
) -> int:
    """The option's usual days; a course dose above the daily ceiling spreads over the fewest days allowed."""
    days = option.usual_days
    if regimen.dose_per is not DosePer.COURSE or dose / days <= settings.max_g_per_kg_per_day + 1e-9:
        return days
    needed = math.ceil(dose / settings.max_g_per_kg_per_day - 1e-9)
    if needed > option.max_days:
        return days  # the daily ceiling then stops the plan, naming the limit
    warnings.append(
        Finding(
            "split-under-daily-ceiling",
            Severity.INFO,
            f"{dose:g} g/kg is given over {needed} days: "
            f"at most {settings.max_g_per_kg_per_day:g} g/kg a day",
            CEILING_SOURCE,
            field="days",
        )
    )
    return needed


def split_days(total_g: float, days: int, settings: DosingSettings, warnings: list[Finding]) -> int:
    """Add days when one day's share is above the site's per-day maximum."""
    limit = settings.max_dose_g_per_day
    if limit is None or total_g / days <= limit + 1e-9:
        return days
    needed = math.ceil(total_g / limit - 1e-9)
    warnings.append(
        Finding(
            "per-day-maximum",
            Severity.CAUTION,
            f"{total_g:.1f} g over {days} day(s) is above the site maximum of {limit:g} g a day: "
            f"split over {needed} days",
            "site setting: max_dose_g_per_day",
            field="days",
        )
    )
    return needed


def sc_dose(request: PlanRequest, product: Product, weight_kg: float) -> tuple[float, int, float]:
    """Return (g/kg, days, g) for one SC infusion: a given dose, a converted IV dose, or g/kg x weight."""
    try:
        if request.sc_dose_g is not None:
            dose_g = request.sc_dose_g
        elif request.previous_iv_dose_g is not None and request.iv_interval_weeks is not None:
            weekly = weekly_sc_dose_g(product, request.previous_iv_dose_g, request.iv_interval_weeks)
            dose_g = weekly * request.sc_interval_weeks
        elif request.dose_g_per_kg is not None:
            dose_g = request.dose_g_per_kg * weight_kg * request.sc_interval_weeks
        else:
            raise PlanError(
                "dose-required",
                "SC: give the dose in g, the previous IV dose and weeks between IV doses, or the weekly g/kg",
            )
    except ScPlanError as error:
        raise PlanError(error.code, str(error)) from None
    if not math.isfinite(dose_g) or dose_g <= 0:
        raise PlanError("bad-dose", "the dose must be above 0 g")
    if not request.sc_interval_weeks > 0:
        raise PlanError("bad-interval", "the weeks between SC infusions must be above 0")
    return dose_g / weight_kg, 1, dose_g
