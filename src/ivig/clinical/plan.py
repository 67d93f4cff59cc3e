"""Plan one course: dosing weight -> regimen and dose -> days -> vials per day -> rates -> warnings."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ivig.clinical.catalog.load import Catalog, default_catalog
from ivig.clinical.catalog.model import Product, Route
from ivig.clinical.limits import DoseFigures, ceiling_findings, overage_findings, range_findings
from ivig.clinical.patient import Finding, PatientFactors, Severity
from ivig.clinical.rates import InfusionHistory, RatePlan, RatePlanError, plan_iv_rates
from ivig.clinical.regimens import DoseOption, DosePer, Regimen, get_regimen
from ivig.clinical.risk import screen_product, thrombosis_or_renal_risk
from ivig.clinical.sc_limits import sc_dose_findings
from ivig.clinical.scig import ScInfusion, ScPlanError, plan_sc_infusion, weekly_sc_dose_g
from ivig.clinical.settings import CEILING_SOURCE, DosingSettings, RateWeightBasis
from ivig.clinical.vials import VialPlan, plan_vials
from ivig.clinical.weight import DosingWeight, WeightError, WeightOverride, dosing_weight

_DEFAULT_SETTINGS = DosingSettings()


class PlanError(ValueError):
    """The request cannot be planned as given; `code` is stable, the message says what to change."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class PlanRequest:
    product: str  # name or slug, matched case-insensitively
    indication: str  # regimen id or indication: "pi", "itp", "cidp-loading", "measles"...
    patient: PatientFactors
    route: Route = Route.IV
    dose_g_per_kg: float | None = None  # per day or per course, as the regimen states it (Regimen.dose_per)
    days: int | None = None
    override_reason: str = ""  # required for a dose, days or indication outside the label
    weight_override: WeightOverride | None = None
    weeks_since_last_infusion: float | None = None
    product_switch: bool = False
    last_tolerated_rate_mg_per_kg_per_min: float | None = None
    # SC: a dose per infusion, or the previous IV dose and interval to convert; every `sc_interval_weeks`.
    sc_dose_g: float | None = None
    previous_iv_dose_g: float | None = None
    iv_interval_weeks: float | None = None
    sc_interval_weeks: float = 1.0
    sc_infusion_number: int = 1
    # The prescriber's lower maximum rate for this order (mg/kg/min); never raises the label's.
    max_rate_mg_per_kg_per_min: float | None = None
    # Infuse the whole vials (the rounded dose) instead of the prescribed dose: a caution.
    accept_rounded_dose: bool = False
    # g/kg already given (dispensed) in the 28 days before this course, for the 28-day ceiling.
    previous_g_per_kg_28_days: float = 0.0


@dataclass(frozen=True, slots=True)
class DayPlan:
    day: int
    dose_g: float  # prescribed for this day, before rounding to vials
    vials: VialPlan
    rates: RatePlan | None  # IV; None when the rate data are missing (see warnings)
    sc: ScInfusion | None = None
    # What is infused: the prescribed dose from whole vials, or the whole vials when the prescriber accepts
    # the rounded dose (or the site's rule rounded down). The rest of a part vial is waste.
    infused_g: float = 0.0
    infused_volume_ml: float = 0.0

    @property
    def volume_ml(self) -> float:
        """The volume to infuse (not the volume dispensed)."""
        return self.infused_volume_ml

    @property
    def waste_ml(self) -> float:
        return max(0.0, self.vials.volume_ml - self.infused_volume_ml)

    @property
    def waste_g(self) -> float:
        return max(0.0, self.vials.dispensed_g - self.infused_g)

    @property
    def duration_min(self) -> float | None:
        if self.rates is not None:
            return self.rates.duration_min
        return None if self.sc is None else self.sc.duration_min


@dataclass(frozen=True, slots=True)
class InfusionPlan:
    product: Product
    regimen: Regimen
    route: Route
    dosing_weight: DosingWeight
    rate_weight_kg: float
    dose_g_per_kg: float  # as the regimen states it (per day or per course)
    prescribed_dose_g: float  # the whole course
    days: tuple[DayPlan, ...]
    cost: float | None
    warnings: tuple[Finding, ...] = field(default=())

    @property
    def dispensed_dose_g(self) -> float:
        return sum(d.vials.dispensed_g for d in self.days)

    @property
    def stops(self) -> tuple[Finding, ...]:
        """Hard limits and contraindications: the plan must not be signed, verified or given."""
        return tuple(w for w in self.warnings if w.severity.blocks)

    @property
    def cautions(self) -> tuple[Finding, ...]:
        """Soft limits: each goes on only with a written reason the pharmacist acknowledges."""
        return tuple(w for w in self.warnings if w.severity is Severity.CAUTION)

    def to_dict(self) -> dict[str, Any]:
        """Return the plan as JSON-ready data (the shape `ivig plan --json` prints)."""
        return _plan_dict(self)


def plan_infusion(
    request: PlanRequest, *, catalog: Catalog | None = None, settings: DosingSettings | None = None
) -> InfusionPlan:
    """Plan a course for one patient; raise PlanError for a request that needs changing.

    A plan that breaks a hard limit is still returned, with STOP findings (`InfusionPlan.stops`), so every
    page can say which limit and where; nothing may sign, verify or give it.
    """
    settings = settings or _DEFAULT_SETTINGS
    product = (catalog or default_catalog()).get(request.product)
    if request.route not in product.routes:
        given = ", ".join(r.upper() for r in product.routes)
        raise PlanError(
            "route-not-available", f"{product.name} is not given {request.route.upper()} (only {given})"
        )
    regimen = get_regimen(request.indication)
    patient = request.patient
    warnings: list[Finding] = []
    weight = _dosing_weight(patient, request.weight_override, regimen, settings, warnings)
    if request.route is Route.SC:
        dose_per_kg, days, total_g = _sc_dose(request, product, weight.kg)
        regimen_max = None
    else:
        dose_per_kg, days, total_g = _iv_dose(request, product, regimen, weight.kg, settings, warnings)
        days = _split_days(total_g, days, settings, warnings)
        regimen_max = max(
            regimen.total_g_per_kg(o.max_g_per_kg, days) for o in regimen.options_for(product.slug)
        )

    if not product.vial_sizes:
        raise PlanError(
            "vials-missing", f"{product.name}: vial sizes are not in label data; the site must add them"
        )
    per_day_g = total_g / days
    vials = plan_vials(per_day_g, product.vial_sizes, settings.rounding_rule, settings.rounding_tolerance_pct)
    _rounding_warnings(vials, warnings)
    infused_g = _infused_g(vials, request.accept_rounded_dose)
    volume_ml = vials.volume_ml * infused_g / vials.dispensed_g
    figures = DoseFigures(
        weight.kg, days, per_day_g, infused_g, volume_ml, max(0.0, request.previous_g_per_kg_28_days)
    )
    if request.route is Route.SC:
        warnings.extend(sc_dose_findings(request, product, regimen, figures, settings))
    else:
        warnings.extend(ceiling_findings(figures, settings))
    warnings.extend(
        overage_findings(
            prescribed_g=per_day_g,
            dispensed_g=vials.dispensed_g,
            infused_g=infused_g,
            accepted=request.accept_rounded_dose,
            course_g_per_kg_infused=figures.infused_g_per_kg_course,
            regimen_max_g_per_kg=regimen_max if regimen_max is not None else float("inf"),
            settings=settings,
        )
    )
    rate_kg = weight.kg if settings.rate_weight_basis is RateWeightBasis.DOSING else patient.weight_kg
    at_risk = thrombosis_or_renal_risk(patient)
    rates = sc = None
    if request.route is Route.IV:
        rates = _iv_rates(request, product, regimen, volume_ml, rate_kg, at_risk, settings, warnings)
    else:
        sc = _sc_infusion(request, product, regimen, volume_ml, weight.kg, settings, warnings)
    course_g_per_kg = total_g / weight.kg
    warnings.extend(screen_product(patient, product, regimen.indication, course_g_per_kg).findings)
    day_plans = tuple(
        DayPlan(day, per_day_g, vials, rates, sc, infused_g, volume_ml) for day in range(1, days + 1)
    )
    price = settings.price_per_g.get(product.slug)
    cost = None if price is None else price * vials.dispensed_g * days
    return InfusionPlan(
        product,
        regimen,
        request.route,
        weight,
        rate_kg,
        dose_per_kg,
        total_g,
        day_plans,
        cost,
        tuple(_ordered(warnings)),
    )


def _ordered(warnings: list[Finding]) -> list[Finding]:
    """Stops first, then cautions, then information (stable within a level)."""
    rank = {Severity.STOP: 0, Severity.CONTRAINDICATION: 0, Severity.CAUTION: 1, Severity.INFO: 2}
    return sorted(warnings, key=lambda w: rank[w.severity])


def _infused_g(vials: VialPlan, accept_rounded_dose: bool) -> float:
    """Infuse the prescribed dose from whole vials (the rest is waste) unless the rounded dose is accepted.

    Rounding down (within the site's tolerance) infuses all the vials: there is no more to give.
    """
    if vials.dispensed_g <= vials.prescribed_g or accept_rounded_dose:
        return vials.dispensed_g
    return vials.prescribed_g


def _dosing_weight(
    patient: PatientFactors,
    override: WeightOverride | None,
    regimen: Regimen,
    settings: DosingSettings,
    warnings: list[Finding],
) -> DosingWeight:
    try:
        weight = dosing_weight(
            actual_kg=patient.weight_kg,
            sex=patient.sex,
            age_years=patient.age_years,
            height_cm=patient.height_cm,
            pregnant=patient.pregnant,
            policy=settings.weight_policy,
            adjusted_factor=settings.adjusted_weight_factor,
            override=override,
            indication=str(regimen.indication),
            pre_pregnancy_kg=patient.pre_pregnancy_weight_kg,
        )
    except WeightError as error:
        raise PlanError("weight", str(error)) from None
    if weight.overridden:
        warnings.append(
            Finding(
                "weight-override",
                Severity.CAUTION,
                f"dosing weight {weight.reason}",
                "prescriber",
                field="weight",
            )
        )
    return weight


def _iv_dose(
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


def _split_days(total_g: float, days: int, settings: DosingSettings, warnings: list[Finding]) -> int:
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


def _sc_dose(request: PlanRequest, product: Product, weight_kg: float) -> tuple[float, int, float]:
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


def _rounding_warnings(vials: VialPlan, warnings: list[Finding]) -> None:
    source = f"site rounding rule: {vials.rule}"
    if vials.rule_note:
        warnings.append(Finding("rounding-fallback", Severity.CAUTION, vials.rule_note, source))
    if abs(vials.difference_g) > 1e-9:
        warnings.append(
            Finding(
                "dose-rounded",
                Severity.INFO,
                f"{vials.prescribed_g:.2f} g a day rounded to {vials.dispensed_g:g} g of whole vials "
                f"({vials.difference_g:+.2f} g, {vials.difference_pct:+.1f} %)",
                source,
            )
        )


def _iv_rates(
    request: PlanRequest,
    product: Product,
    regimen: Regimen,
    volume_ml: float,
    rate_kg: float,
    at_risk: bool,
    settings: DosingSettings,
    warnings: list[Finding],
) -> RatePlan | None:
    history = InfusionHistory(
        first_infusion=request.patient.first_infusion,
        weeks_since_last=request.weeks_since_last_infusion,
        product_switch=request.product_switch,
        last_tolerated_rate_mg_per_kg_per_min=request.last_tolerated_rate_mg_per_kg_per_min,
    )
    try:
        rates = plan_iv_rates(
            product,
            regimen.indication,
            volume_ml,
            rate_kg,
            at_risk=at_risk,
            history=history,
            settings=settings,
            order_max_rate_mg_per_kg_per_min=request.max_rate_mg_per_kg_per_min,
            min_duration_min=None if regimen.min_infusion_h is None else regimen.min_infusion_h * 60.0,
            min_duration_source=regimen.min_infusion_source,
        )
    except RatePlanError as error:
        # No rate plan, no infusion: the site configures the rates; nothing else unlocks it.
        warnings.append(
            Finding(error.code, Severity.STOP, str(error), "catalog: IV rate data", product.slug, "product")
        )
        return None
    warnings.extend(rates.findings)
    longest_min = settings.max_infusion_h_per_day * 60.0
    if rates.duration_min > longest_min + 1e-6:
        warnings.append(
            Finding(
                "infusion-too-long",
                Severity.STOP,
                f"one day's infusion would take {rates.duration_min / 60:.1f} h, longer than the "
                f"{settings.max_infusion_h_per_day:g} h limit: give the dose over more days",
                f"{settings.limits_source}: longest infusion a day (derived: Kawasaki 8-12 h is the "
                "longest any source names, ivig-reference.md s5, s13)",
                field="days",
            )
        )
    shortest = regimen.min_infusion_h
    if shortest is not None and rates.duration_min < shortest * 60.0 - 1e-6:
        warnings.append(
            Finding(
                "infusion-too-short",
                Severity.STOP,
                f"the plan ends in {rates.duration_min / 60:.1f} h; "
                f"{regimen.name} must take at least {shortest:g} h",
                regimen.min_infusion_source,
                field="max_rate",
            )
        )
    return rates


def _sc_infusion(
    request: PlanRequest,
    product: Product,
    regimen: Regimen,
    volume_ml: float,
    weight_kg: float,
    settings: DosingSettings,
    warnings: list[Finding],
) -> ScInfusion | None:
    try:
        sc = plan_sc_infusion(
            product,
            volume_ml,
            weight_kg=weight_kg,
            age_years=request.patient.age_years,
            infusion_number=request.sc_infusion_number,
            indication=regimen.indication,
            pump_precision_ml_per_h=settings.pump_precision_ml_per_h,
        )
    except ScPlanError as error:
        # Beyond the label's sites or daily volume, or limits not in label data: no SC plan to give.
        warnings.append(
            Finding(error.code, Severity.STOP, str(error), "catalog: SC limits", product.slug, "sc_dose")
        )
        return None
    warnings.extend(sc.findings)
    return sc


def _plan_dict(plan: InfusionPlan) -> dict[str, Any]:
    weight = plan.dosing_weight
    return {
        "product": plan.product.slug,
        "product_name": plan.product.name,
        "route": str(plan.route),
        "regimen": plan.regimen.id,
        "indication": str(plan.regimen.indication),
        "dosing_weight_kg": round(weight.kg, 2),
        "weight_basis": str(weight.basis),
        "weight_reason": weight.reason,
        "actual_weight_kg": round(weight.actual_kg, 2),
        "ideal_weight_kg": None if weight.ideal_kg is None else round(weight.ideal_kg, 2),
        "adjusted_weight_kg": None if weight.adjusted_kg is None else round(weight.adjusted_kg, 2),
        "rate_weight_kg": round(plan.rate_weight_kg, 2),
        "dose_g_per_kg": round(plan.dose_g_per_kg, 4),
        "dose_per": str(plan.regimen.dose_per) if plan.route is Route.IV else str(DosePer.COURSE),
        "prescribed_dose_g": round(plan.prescribed_dose_g, 2),
        "dispensed_dose_g": round(plan.dispensed_dose_g, 2),
        "cost": None if plan.cost is None else round(plan.cost, 2),
        "days": [_day_dict(day) for day in plan.days],
        "warnings": [
            {
                "code": w.code,
                "severity": str(w.severity),
                "message": w.message,
                "source": w.source,
                "field": w.field,
            }
            for w in plan.warnings
        ],
    }


def _day_dict(day: DayPlan) -> dict[str, Any]:
    vials = day.vials
    data: dict[str, Any] = {
        "day": day.day,
        "dose_g": round(day.dose_g, 2),
        "dispensed_g": round(vials.dispensed_g, 2),
        "difference_g": round(vials.difference_g, 2),
        "difference_pct": round(vials.difference_pct, 2),
        "vials": [{"size_g": v.size_g, "count": v.count, "volume_ml": v.volume_ml} for v in vials.vials],
        # The volume to infuse; a part vial's remainder is waste.
        "volume_ml": round(day.volume_ml, 2),
        "infused_g": round(day.infused_g, 2),
        "dispensed_volume_ml": round(vials.volume_ml, 2),
        "waste_ml": round(day.waste_ml, 2),
        "waste_g": round(day.waste_g, 2),
        "steps": [],
        "duration_min": None if day.duration_min is None else round(day.duration_min, 2),
    }
    if day.rates is not None:
        data["max_rate_mg_per_kg_per_min"] = day.rates.ceiling_mg_per_kg_per_min
        data["steps"] = [
            {
                "start_min": round(s.start_min, 2),
                "duration_min": round(s.duration_min, 2),
                "rate_mg_per_kg_per_min": round(s.rate_mg_per_kg_per_min, 4),
                "rate_ml_per_kg_per_h": round(s.rate_ml_per_kg_per_h, 4),
                "rate_ml_per_h": s.rate_ml_per_h,
                "volume_ml": round(s.volume_ml, 2),
            }
            for s in day.rates.steps
        ]
    if day.sc is not None:
        data["sc"] = {
            "sites": day.sc.sites,
            "ml_per_site": round(day.sc.ml_per_site, 2),
            "rate_ml_per_h_per_site": day.sc.rate_ml_per_h_per_site,
            "total_rate_ml_per_h": round(day.sc.total_rate_ml_per_h, 2),
            "duration_min": round(day.sc.duration_min, 2),
            "limits_source": day.sc.limits.source,
        }
    return data
