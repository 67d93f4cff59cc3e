"""Plan one course: dosing weight -> regimen and dose -> days -> vials per day -> rates -> warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ivig.clinical.catalog.load import Catalog, default_catalog
from ivig.clinical.catalog.model import Product, Route
from ivig.clinical.course_dose import PlanError as PlanError  # re-exported: callers import it from here
from ivig.clinical.course_dose import iv_dose, sc_dose, split_days
from ivig.clinical.limits import DoseFigures, ceiling_findings, overage_findings
from ivig.clinical.patient import Finding, PatientFactors, Severity
from ivig.clinical.rates import InfusionHistory, RatePlan, RatePlanError, plan_iv_rates
from ivig.clinical.regimens import Regimen, get_regimen
from ivig.clinical.risk import screen_product, thrombosis_or_renal_risk
from ivig.clinical.sc_limits import sc_dose_findings
from ivig.clinical.scig import ScInfusion, ScPlanError, plan_sc_infusion
from ivig.clinical.settings import (
    LONGEST_INFUSION_H_PER_DAY,
    DosingSettings,
    RateWeightBasis,
)
from ivig.clinical.vials import VialPlan, plan_vials
from ivig.clinical.weight import DosingWeight, WeightError, WeightOverride, dosing_weight

_DEFAULT_SETTINGS = DosingSettings()


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
    # Already given (dispensed) in the 28 days before this course, for the 28-day ceiling: in g/kg, or in
    # grams that the plan turns into g/kg of this course's dosing weight (the two add up).
    previous_g_per_kg_28_days: float = 0.0
    previous_g_28_days: float = 0.0


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
        from ivig.clinical.plan_json import plan_dict

        return plan_dict(self)


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
        dose_per_kg, days, total_g = sc_dose(request, product, weight.kg)
        regimen_max = None
    else:
        dose_per_kg, days, total_g = iv_dose(request, product, regimen, weight.kg, settings, warnings)
        days = split_days(total_g, days, settings, warnings)
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
        weight.kg,
        days,
        per_day_g,
        infused_g,
        volume_ml,
        max(0.0, request.previous_g_per_kg_28_days + request.previous_g_28_days / weight.kg),
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
        warnings.append(error.as_stop("catalog: IV rate data", product.slug, "product"))
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
                _longest_infusion_source(settings),
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


def _longest_infusion_source(settings: DosingSettings) -> str:
    derived = (
        "derived: Kawasaki's 8-12 h is the longest infusion any source names "
        "(docs/reference/dosing.md s5, s13)"
    )
    if abs(settings.max_infusion_h_per_day - LONGEST_INFUSION_H_PER_DAY) < 1e-9:
        return derived
    return f"{settings.limits_source} (lowered from {LONGEST_INFUSION_H_PER_DAY:g} h; {derived})"


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
        warnings.append(error.as_stop("catalog: SC limits", product.slug, "sc_dose"))
        return None
    warnings.extend(sc.findings)
    return sc
