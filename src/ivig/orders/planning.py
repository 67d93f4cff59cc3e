"""Turn what an order says into the clinical core's request and plan. Every dosing decision stays in the core.

The same function serves the live preview, signing and the pharmacist's check, so all three see one plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ivig.clinical import (
    DosingSettings,
    InfusionPlan,
    PatientFactors,
    PlanError,
    PlanRequest,
    Route,
    Sex,
    ThrombosisRisk,
    UnknownProductError,
    WeightBasis,
    WeightOverride,
    default_catalog,
    get_regimen,
    plan_infusion,
    rank_products,
)
from ivig.clinical.patient import BloodGroup, GlucoseMeter
from ivig.clinical.rates import InfusionHistory, treat_as_first_infusion
from ivig.clinical.regimens import Regimen, RegimenError
from ivig.clinical.weight import WeightError
from ivig.patients.models import LabResult, Patient
from ivig.siteconfig.models import SiteSettings

# Yes/no risk factors of PatientFactors, as the screening form asks them.
RISK_FLAGS: tuple[tuple[str, str], ...] = (
    ("pregnant", "Pregnant"),
    ("renal_impairment", "Known renal insufficiency"),
    ("diabetes", "Diabetes"),
    ("volume_depletion", "Volume depletion (dehydration)"),
    ("sepsis", "Sepsis"),
    ("paraproteinaemia", "Paraproteinaemia or monoclonal gammopathy"),
    ("nephrotoxic_drugs", "Takes nephrotoxic drugs"),
    ("iga_deficient_with_antibodies", "IgA deficiency with antibodies to IgA"),
    ("hyperprolinaemia", "Hyperprolinaemia"),
    ("hereditary_fructose_intolerance", "Hereditary fructose intolerance"),
    ("heart_failure_or_volume_concern", "Heart failure or other concern about fluid volume"),
    ("migraine", "Migraine (aseptic meningitis risk)"),
    ("first_infusion", "First immunoglobulin infusion"),
    ("product_switch", "Switching from another product"),
)
THROMBOSIS_CHOICES = [
    (ThrombosisRisk.IMMOBILISATION.value, "Prolonged immobilisation"),
    (ThrombosisRisk.HYPERCOAGULABLE.value, "Hypercoagulable state"),
    (ThrombosisRisk.PRIOR_THROMBOSIS.value, "Past venous or arterial thrombosis"),
    (ThrombosisRisk.ESTROGENS.value, "Takes estrogens"),
    (ThrombosisRisk.CENTRAL_CATHETER.value, "Indwelling central catheter"),
    (ThrombosisRisk.HYPERVISCOSITY.value, "Hyperviscosity"),
    (ThrombosisRisk.CARDIOVASCULAR.value, "Cardiovascular risk factors"),
]
GLUCOSE_METER_CHOICES = [
    (GlucoseMeter.UNKNOWN.value, "Unknown or none"),
    (GlucoseMeter.GLUCOSE_SPECIFIC.value, "Glucose-specific meter"),
    (GlucoseMeter.GDH_PQQ.value, "GDH-PQQ meter (reads maltose as glucose)"),
    (GlucoseMeter.GLUCOSE_DYE_OXIDOREDUCTASE.value, "Glucose-dye-oxidoreductase meter"),
]
BLOOD_GROUP_CHOICES = [(group.value, group.value.capitalize()) for group in BloodGroup]
LAB_KINDS = tuple(kind for kind, _label in LabResult.Kind.choices)


@dataclass(frozen=True)
class OrderInput:
    """What the prescriber wrote, in stored units, whether it comes from a form or a saved order."""

    patient: Patient
    regimen: str
    route: str
    product_slug: str  # "" = pharmacy chooses
    weight_kg: Decimal
    height_cm: Decimal | None
    dose_g_per_kg: Decimal | None = None
    sc_dose_g: Decimal | None = None
    days: int | None = None
    weight_basis: str = ""
    weight_basis_reason: str = ""
    screening: dict[str, Any] = field(default_factory=dict)
    labs: dict[str, dict[str, str]] = field(default_factory=dict)
    caution_reasons: dict[str, str] = field(default_factory=dict)
    max_rate_mg_per_kg_per_min: Decimal | None = None
    accept_rounded_dose: bool = False
    pre_pregnancy_weight_kg: Decimal | None = None
    # The order being planned (None for a new one): its own series is not counted as a previous dose.
    order_id: int | None = None
    series_id: int | None = None

    @classmethod
    def from_order(cls, order: Any, *, product_slug: str | None = None, weight_kg: Any = None) -> OrderInput:
        return cls(
            patient=order.patient,
            regimen=order.regimen,
            route=order.route,
            product_slug=order.product_slug if product_slug is None else product_slug,
            weight_kg=Decimal(weight_kg if weight_kg is not None else order.weight_kg),
            height_cm=order.height_cm,
            dose_g_per_kg=order.dose_g_per_kg,
            sc_dose_g=order.sc_dose_g,
            days=order.days,
            weight_basis=order.weight_basis,
            weight_basis_reason=order.weight_basis_reason,
            screening=dict(order.screening or {}),
            labs=dict(order.labs or {}),
            caution_reasons=dict(order.caution_reasons or {}),
            max_rate_mg_per_kg_per_min=order.max_rate_mg_per_kg_per_min,
            accept_rounded_dose=order.accept_rounded_dose,
            pre_pregnancy_weight_kg=order.pre_pregnancy_weight_kg,
            order_id=order.pk,
            series_id=order.series_id or order.pk,
        )


@dataclass(frozen=True)
class PlanOutcome:
    """A plan, or the reason there is none; `chosen_by_ranking` when the pharmacy is to choose."""

    plan: InfusionPlan | None
    error: str = ""
    error_code: str = ""
    chosen_by_ranking: bool = False


def lab_value(labs: dict[str, dict[str, str]], kind: str) -> float | None:
    entry = labs.get(kind) or {}
    value = entry.get("value")
    return None if value is None or value == "" else float(value)


def patient_factors(data: OrderInput, on: date) -> PatientFactors:
    patient, screening = data.patient, data.screening
    years, months = patient.age_on(on)
    return PatientFactors(
        age_years=years + months / 12,
        sex=Sex.FEMALE if patient.sex_at_birth == "female" else Sex.MALE,
        weight_kg=float(data.weight_kg),
        height_cm=None if data.height_cm is None else float(data.height_cm),
        pre_pregnancy_weight_kg=(
            None
            if data.pre_pregnancy_weight_kg is None or not screening.get("pregnant")
            else float(data.pre_pregnancy_weight_kg)
        ),
        egfr_ml_per_min_per_1_73m2=lab_value(data.labs, LabResult.Kind.EGFR),
        glucose_meter=GlucoseMeter(screening.get("glucose_meter") or GlucoseMeter.UNKNOWN),
        blood_group=BloodGroup(screening.get("blood_group") or BloodGroup.UNKNOWN),
        thrombosis_risks=frozenset(ThrombosisRisk(r) for r in screening.get("thrombosis_risks", [])),
        previous_reactions=tuple(screening.get("previous_reactions", [])),
        **{flag: bool(screening.get(flag)) for flag, _label in RISK_FLAGS if flag not in ("product_switch",)},
    )


def site_settings() -> DosingSettings:
    """The site's dosing settings, as the Admin set them on the site settings page."""
    return SiteSettings.load().dosing_settings()


def _request(data: OrderInput, product_slug: str, on: date, previous_g_28_days: float = 0.0) -> PlanRequest:
    screening = data.screening
    weeks = screening.get("weeks_since_last_infusion")
    override = None
    if data.weight_basis:
        override = WeightOverride(WeightBasis(data.weight_basis), data.weight_basis_reason)
    return PlanRequest(
        product=product_slug,
        indication=data.regimen,
        patient=patient_factors(data, on),
        route=Route(data.route),
        dose_g_per_kg=None if data.dose_g_per_kg is None else float(data.dose_g_per_kg),
        days=data.days,
        weight_override=override,
        weeks_since_last_infusion=None if weeks is None or weeks == "" else float(weeks),
        product_switch=bool(screening.get("product_switch")),
        sc_dose_g=None if data.sc_dose_g is None else float(data.sc_dose_g),
        max_rate_mg_per_kg_per_min=(
            None if data.max_rate_mg_per_kg_per_min is None else float(data.max_rate_mg_per_kg_per_min)
        ),
        accept_rounded_dose=data.accept_rounded_dose,
        previous_g_28_days=previous_g_28_days,
    )


# Orders whose vials have left the pharmacy: their doses count towards the 28-day ceiling.
GIVEN_STATUSES = ("dispensed", "in_progress", "completed")


def previous_grams_28_days(data: OrderInput, on: date) -> float:
    """Grams of the patient's other courses dispensed in the 28 days before `on`.

    Counts the dose each course infuses (the whole vials when the prescriber accepted the rounded dose,
    else the prescribed dose), from the plan the pharmacist verified. Leaves out this order's own series
    (its earlier versions are the same course) and cancelled orders.
    """
    if data.patient.pk is None:
        return 0.0
    since = on - timedelta(days=28)
    others = data.patient.orders.filter(
        status__in=GIVEN_STATUSES, dispensed_at__date__gte=since, dispensed_at__date__lte=on
    )
    if data.series_id is not None:
        others = others.exclude(pk=data.series_id).exclude(series_id=data.series_id)
    total = 0.0
    for order in others.only("verified_plan", "signed_plan", "accept_rounded_dose"):
        plan = order.verified_plan or order.signed_plan or {}
        key = "dispensed_dose_g" if order.accept_rounded_dose else "prescribed_dose_g"
        total += float(plan.get(key) or 0.0)
    return total


def treated_as_first(order: Any) -> bool:
    """Whether the order's infusion counts as a first one (the clinical core's rule, the site's gap)."""
    screening = order.screening or {}
    weeks = screening.get("weeks_since_last_infusion")
    history = InfusionHistory(
        first_infusion=bool(screening.get("first_infusion")),
        weeks_since_last=None if weeks is None or weeks == "" else float(weeks),
        product_switch=bool(screening.get("product_switch")),
    )
    return treat_as_first_infusion(history, site_settings().restart_after_weeks)


def ranked_slugs(data: OrderInput, on: date) -> list[str]:
    """Suitable products for this patient and indication, best first (the clinical core's ranking)."""
    try:
        regimen = get_regimen(data.regimen)
    except RegimenError:
        return []
    ranking = rank_products(
        patient_factors(data, on),
        regimen.indication,
        default_catalog().all(),
        route=Route(data.route),
        dose_g=_day_dose_g(data, regimen),
    )
    return [ranked.product.slug for ranked in ranking if ranked.suitable and ranked.product.vial_sizes]


def _day_dose_g(data: OrderInput, regimen: Regimen) -> float | None:
    """One day's grams, so products whose smallest vial exceeds it rank lower. On the actual weight: a
    dosing-weight policy only lowers it, and the ranking needs no more than which vials fit."""
    if data.route == Route.SC.value:
        return None if data.sc_dose_g is None else float(data.sc_dose_g)
    dose = None if data.dose_g_per_kg is None else float(data.dose_g_per_kg)
    per_kg = regimen.day_g_per_kg("", dose, data.days)
    return None if per_kg is None else per_kg * float(data.weight_kg)


def compute_plan(data: OrderInput, on: date) -> PlanOutcome:
    """Plan the order with its product, or with the best-ranked suitable one when the pharmacy chooses."""
    slug, by_ranking = data.product_slug, False
    if not slug:
        candidates = ranked_slugs(data, on)
        if not candidates:
            return PlanOutcome(None, "No suitable product for this patient and indication.", "no-product")
        slug, by_ranking = candidates[0], True
    try:
        # The core counts the earlier grams in g/kg of this order's dosing weight, as it counts this course.
        request = _request(data, slug, on, previous_grams_28_days(data, on))
        plan = plan_infusion(request, settings=site_settings())
    except PlanError as error:
        return PlanOutcome(None, str(error), error.code)
    except UnknownProductError as error:
        return PlanOutcome(None, str(error), "unknown-product")
    except (RegimenError, WeightError, ValueError) as error:
        return PlanOutcome(None, str(error), "bad-request")
    return PlanOutcome(plan, chosen_by_ranking=by_ranking)


def product_choices(route: str | None = None) -> list[tuple[str, str]]:
    products = default_catalog().all()
    return [
        (p.slug, p.name) for p in sorted(products, key=lambda p: p.name) if route is None or route in p.routes
    ]


def product_name(slug: str) -> str:
    try:
        return default_catalog().get(slug).name
    except UnknownProductError:
        return slug


def actual_weight_dose_g(order: Any, settings: DosingSettings, on: date) -> float | None:
    """The course dose in grams had the order been planned on the patient's actual body weight, or None when
    the clinical core cannot plan it. `settings` is passed in so a report over many orders loads it once."""
    data = OrderInput.from_order(
        order, product_slug=order.product_for_plan, weight_kg=order.verified_weight_kg or order.weight_kg
    )
    if not data.product_slug:
        return None
    actual = replace(
        data, weight_basis=WeightBasis.ACTUAL.value, weight_basis_reason="actual-weight comparison (report)"
    )
    try:
        plan = plan_infusion(_request(actual, actual.product_slug, on), settings=settings)
    except (PlanError, UnknownProductError, RegimenError, WeightError, ValueError):
        return None
    return plan.prescribed_dose_g
