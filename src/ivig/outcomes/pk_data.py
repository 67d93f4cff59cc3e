"""A patient's IgG pharmacokinetics from the database: the doses of their dispensed orders, the IgG levels
on file, and the core's MAP fit and regimen for a target trough.

Dose times: an order's course starts on its dispensing date and time, one infusion a day for the plan's
days (the infusion record will give the real start times when it exists). Each day's infused grams are
the vials dispensed for it, its duration the plan's rate schedule. A level has a date only: it is read as
taken at the start of that day, i.e. before an infusion given the same day (a trough).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.utils import timezone

from ivig import clock
from ivig.clinical.catalog import default_catalog
from ivig.clinical.catalog.model import Product, Route
from ivig.clinical.patient import Sex
from ivig.clinical.pk.doses import Dose, PkInputError, ScAbsorption
from ivig.clinical.pk.fit import Level
from ivig.clinical.pk.limits import maintenance_regimen
from ivig.clinical.pk.model import Covariates, Deficiency
from ivig.clinical.pk.report import PkReport, pk_report
from ivig.clinical.regimens import Regimen
from ivig.clinical.settings import DosingSettings
from ivig.clinical.weight import WeightError, dosing_weight
from ivig.orders.models import TherapyOrder
from ivig.outcomes.summary import given_orders, indication_of
from ivig.patients.models import LabResult, Patient

MINUTES_PER_HOUR = 60.0
# EU SmPC: trough at least 6 g/L; secondary immunodeficiency above 7 g/L (provincial guideline);
# docs/reference/pharmacokinetics.md s9. The clinician sets the patient's own.
DEFAULT_TARGET_G_PER_L = {Deficiency.PRIMARY: 6.0, Deficiency.SECONDARY: 7.0}
TARGET_SOURCE = "EU SmPC >= 6 g/L; secondary immunodeficiency > 7 g/L (docs/reference/pharmacokinetics.md s9)"
# Regimens offered for the suggestion (issue 9): IV every 3 or 4 weeks, SC weekly.
REGIMEN_CHOICES = {"iv3": (Route.IV, 3.0), "iv4": (Route.IV, 4.0), "sc1": (Route.SC, 1.0)}


@dataclass(frozen=True)
class DoseEvent:
    order: TherapyOrder
    day: int
    dose: Dose


@dataclass
class PkInputs:
    doses: list[DoseEvent] = field(default_factory=list)
    levels: list[tuple[LabResult, Level]] = field(default_factory=list)
    weight_kg: float | None = None
    missing: list[str] = field(default_factory=list)  # what stops the fit, in words for the clinician
    deficiency: Deficiency = Deficiency.PRIMARY
    last_product: str = ""
    last_route: Route = Route.IV
    last_duration_h: float = 0.0


def _local_naive(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def order_doses(order: TherapyOrder) -> tuple[list[DoseEvent], str]:
    """Return the infusions of a dispensed order, or a reason they cannot be read."""
    plan = order.verified_plan or {}
    route = Route(plan.get("route") or order.route)
    product = plan.get("product") or order.product_for_plan or None
    start = _local_naive(order.dispensed_at) if order.dispensed_at else None
    if start is None or not plan.get("days"):
        return [], f"{order.reference}: no verified plan with its infusion days"
    events = []
    for day in plan["days"]:
        grams = float(day.get("dispensed_g") or day.get("dose_g") or 0)
        minutes = day.get("duration_min")
        if route is Route.IV and not minutes:
            return [], f"{order.reference}: day {day['day']} has no infusion duration in its plan"
        duration_h = float(minutes) / MINUTES_PER_HOUR if route is Route.IV else 0.0
        at = start + timedelta(days=int(day["day"]) - 1)
        try:
            dose = Dose(at, grams, route, duration_h, product)
        except PkInputError as error:
            return [], f"{order.reference}: {error}"
        events.append(DoseEvent(order, int(day["day"]), dose))
    return events, ""


def gather(patient: Patient) -> PkInputs:
    inputs = PkInputs()
    orders = given_orders(patient)
    for order in orders:
        events, problem = order_doses(order)
        if problem:
            inputs.missing.append(problem)
        inputs.doses.extend(events)
    for result in patient.lab_results.filter(kind=LabResult.Kind.IGG).order_by("taken_on", "id"):
        at = datetime.combine(result.taken_on, time(0, 0))
        if result.value > 0:
            inputs.levels.append((result, Level(at, float(result.value))))
    weight = patient.latest_weight()
    inputs.weight_kg = float(weight.weight_kg) if weight and weight.weight_kg else None
    replacement = [o for o in orders if indication_of(o.regimen) in ("pi", "sid")]
    if replacement and indication_of(replacement[-1].regimen) == "sid":
        inputs.deficiency = Deficiency.SECONDARY
    if inputs.doses:
        last = inputs.doses[-1].dose
        inputs.last_product, inputs.last_route = last.product or "", last.route
        iv = [e.dose.duration_h for e in inputs.doses if e.dose.route is Route.IV]
        inputs.last_duration_h = iv[-1] if iv else 0.0
    if not orders:
        inputs.missing.append(
            "no dispensed immunoglobulin order: the dose history comes from dispensed orders"
        )
    if not inputs.levels:
        inputs.missing.append(
            "no IgG level on file: enter at least one (more and spread over time is better)"
        )
    if inputs.weight_kg is None:
        inputs.missing.append("no recorded weight")
    return inputs


@dataclass(frozen=True)
class PkChoice:
    target_trough_g_per_l: float
    regimen: str  # a REGIMEN_CHOICES key
    product: Product | None
    deficiency: Deficiency
    igm_g_per_l: float | None = None


@dataclass(frozen=True)
class CheckWeight:
    """The weight the suggested dose is checked on (per kg), and why that one."""

    kg: float
    basis: str


def check_weight(
    patient: Patient, actual_kg: float, regimen: Regimen, settings: DosingSettings
) -> CheckWeight:
    """The site's dosing weight for this regimen, as an order would use; actual weight when it needs more."""
    height = patient.latest_height()
    years, months = patient.age_on(clock.localdate())
    try:
        weight = dosing_weight(
            actual_kg=actual_kg,
            sex=Sex.FEMALE if patient.sex_at_birth == "female" else Sex.MALE,
            age_years=years + months / 12,
            height_cm=None if height is None or height.height_cm is None else float(height.height_cm),
            policy=settings.weight_policy,
            adjusted_factor=settings.adjusted_weight_factor,
            indication=str(regimen.indication),
        )
    except WeightError as error:
        return CheckWeight(actual_kg, f"actual weight ({error})")
    return CheckWeight(weight.kg, f"{weight.basis} weight: {weight.reason}")


def fit_patient(
    inputs: PkInputs,
    choice: PkChoice,
    settings: DosingSettings,
    absorption: ScAbsorption,
    weight: CheckWeight | None = None,
) -> PkReport:
    """Run the core's fit, suggestion and its checks; raise PkInputError (for people) when it cannot."""
    if inputs.missing or inputs.weight_kg is None:
        raise PkInputError("; ".join(inputs.missing))
    route, weeks = REGIMEN_CHOICES[choice.regimen]
    duration_h = inputs.last_duration_h if route is Route.IV else 0.0
    if route is Route.IV and not duration_h:
        raise PkInputError("no IV infusion in the history gives a duration for an IV suggestion")
    return pk_report(
        Covariates(inputs.weight_kg, choice.deficiency, choice.igm_g_per_l),
        [e.dose for e in inputs.doses],
        [level for _r, level in inputs.levels],
        target_trough_g_per_l=choice.target_trough_g_per_l,
        interval_weeks=weeks,
        route=route,
        duration_h=duration_h,
        product=choice.product,
        absorption=absorption,
        settings=settings,
        days_ahead=max(28, int(weeks * 7) + 7),
        dosing_weight_kg=None if weight is None else weight.kg,
        regimen=maintenance_regimen(choice.deficiency),
    )


def product_for(slug: str) -> Product | None:
    if not slug:
        return None
    try:
        return default_catalog().get(slug)
    except LookupError:  # UnknownProductError
        return None
