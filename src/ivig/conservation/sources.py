"""Where proposals come from: the patient's current order, turned into the clinical core's `PatientRegimen`,
the core's conservation measures for it (`ivig.clinical.supply.proposals`), and each measure turned back into
the order's own fields, so that accepting it runs the prescribing path. Grams are the core's (whole vials,
per 12 weeks); the accept page shows the plan the order pages compute for the new version.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from ivig.clinical import Route, default_catalog
from ivig.clinical.catalog.model import Product
from ivig.clinical.pk.doses import PkInputError
from ivig.clinical.pk.limits import maintenance_regimen
from ivig.clinical.supply.model import ProductInfo
from ivig.clinical.supply.proposals import (
    DAYS_PER_12_WEEKS,
    ConservationSettings,
    PatientRegimen,
    Proposal,
    ProposalKind,
    TroughDose,
    proposals_for,
)
from ivig.clinical.supply.terms import Category
from ivig.clinical.vials import VialError
from ivig.conservation.models import ConservationPolicy, Kind
from ivig.inventory.models import StockProduct
from ivig.orders.models import TherapyOrder
from ivig.orders.planning import OrderInput, compute_plan, product_name, ranked_slugs, site_settings
from ivig.outcomes.models import DoseTrial
from ivig.outcomes.pk_data import (
    DEFAULT_TARGET_G_PER_L,
    PkChoice,
    check_weight,
    fit_patient,
    gather,
    product_for,
)
from ivig.patients.models import Patient
from ivig.siteconfig.models import SiteSettings
from ivig.siteconfig.shortage import current_categories

# Orders a proposal may start from: signed and waiting, or given (the next course then copies it).
SOURCE_STATUSES = (
    TherapyOrder.Status.AWAITING_APPROVAL,
    TherapyOrder.Status.SIGNED,
    TherapyOrder.Status.VERIFIED,
    TherapyOrder.Status.DISPENSED,
    TherapyOrder.Status.IN_PROGRESS,
    TherapyOrder.Status.COMPLETED,
)
CENT = Decimal("0.01")
KINDS = {
    ProposalKind.LOWEST_EFFECTIVE_DOSE: Kind.LOWEST_DOSE,
    ProposalKind.LONGER_INTERVAL: Kind.LONGER_INTERVAL,
    ProposalKind.TROUGH_GUIDED: Kind.TROUGH_GUIDED,
    ProposalKind.SCIG: Kind.MOVE_TO_SCIG,
    ProposalKind.VIAL_MIX: Kind.LESS_WASTE,
}
# IV regimens the PK page suggests for (outcomes.pk_data.REGIMEN_CHOICES), by weeks between doses.
PK_REGIMENS = {3: "iv3", 4: "iv4"}


@dataclass(frozen=True)
class Candidate:
    """One measure for one order, in the order's own fields, with the grams it would use."""

    kind: str
    rationale: str
    current_g_per_12_weeks: Decimal
    proposed_g_per_12_weeks: Decimal
    source: str = ""
    route: str = ""
    product_slug: str = ""
    dose_g_per_kg: Decimal | None = None
    sc_dose_g: Decimal | None = None
    repeat_interval_weeks: int | None = None
    accept_rounded_dose: bool | None = None

    @property
    def grams_saved_per_12_weeks(self) -> Decimal:
        return (self.current_g_per_12_weeks - self.proposed_g_per_12_weeks).quantize(CENT)


def source_order(patient: Patient) -> TherapyOrder | None:
    """The order a proposal changes: the patient's latest signed or given order (not a replaced version)."""
    return (
        TherapyOrder.objects.filter(patient=patient, status__in=SOURCE_STATUSES)
        .select_related("patient")
        .order_by("-created_at", "-pk")
        .first()
    )


def _grams(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def _per_12_weeks(dose_g: float, interval_days: int) -> Decimal:
    return _grams(dose_g / interval_days * DAYS_PER_12_WEEKS)


def product_info(slug: str) -> ProductInfo:
    product = default_catalog().get(slug)
    return ProductInfo(product.slug, product.name, tuple(v.grams for v in product.vial_sizes))


def conservation_settings() -> ConservationSettings:
    """The site's conservation policy and its vial rounding rule and tolerance, as the core's settings."""
    dosing = site_settings()
    policy = ConservationPolicy.load()
    return ConservationSettings(
        reduction_fraction=policy.reduction_pct / 100,
        review_after_weeks=policy.review_after_weeks,
        sc_factor=None if policy.sc_factor is None else float(policy.sc_factor),
        sc_factor_source=policy.source,
        rounding_rule=dosing.rounding_rule,
        rounding_tolerance_pct=dosing.rounding_tolerance_pct,
        source=policy.source,
    )


def _trough(order: TherapyOrder, interval_weeks: int) -> TroughDose | None:
    """The PK fit's dose for the default target trough (the PK page's), when the history allows a fit."""
    regimen_key = PK_REGIMENS.get(interval_weeks) if order.route == Route.IV.value else "sc1"
    if regimen_key is None:
        return None
    inputs = gather(order.patient)
    if inputs.missing or inputs.weight_kg is None:
        return None
    settings = site_settings()
    choice = PkChoice(
        target_trough_g_per_l=DEFAULT_TARGET_G_PER_L[inputs.deficiency],
        regimen=regimen_key,
        product=product_for(order.product_for_plan),
        deficiency=inputs.deficiency,
    )
    weight = check_weight(order.patient, inputs.weight_kg, maintenance_regimen(inputs.deficiency), settings)
    try:
        report = fit_patient(inputs, choice, settings, SiteSettings.load().sc_absorption(), weight)
    except (PkInputError, VialError, ValueError):
        return None
    suggestion = getattr(report, "suggestion", None)
    return None if suggestion is None else TroughDose.from_suggestion(suggestion)


def regimen_of(order: TherapyOrder, on: date) -> tuple[PatientRegimen, float] | None:
    """The order as the core's regimen, and its dosing weight; None for a one-off course or no plan."""
    if not order.repeat_interval_weeks or not order.product_for_plan:
        return None
    plan = order.plan or {}
    if not plan.get("prescribed_dose_g"):
        outcome = compute_plan(OrderInput.from_order(order, product_slug=order.product_for_plan), on)
        if outcome.plan is None:
            return None
        plan = outcome.plan.to_dict()
    category = current_categories().get(order.indication)
    regimen = PatientRegimen(
        patient_id=str(order.patient_id),
        order_id=str(order.pk),
        indication=order.indication,
        product=product_info(order.product_for_plan),
        route=Route(order.route),
        dose_g=float(plan["prescribed_dose_g"]),
        interval_days=order.repeat_interval_weeks * 7,
        category=Category(category.category) if category else None,
        trough=_trough(order, order.repeat_interval_weeks),
        on_dose_trial=DoseTrial.objects.filter(
            patient=order.patient, indication=order.indication, result=""
        ).exists(),
        patient_name=order.patient.full_name,
    )
    return regimen, float(plan.get("dosing_weight_kg") or order.weight_kg)


def _alternatives(order: TherapyOrder, on: date) -> list[ProductInfo]:
    """Products the site stocks that suit this patient and indication (the order pages' ranking)."""
    stocked = set(StockProduct.objects.values_list("catalog_slug", flat=True))
    data = OrderInput.from_order(order, product_slug="")
    return [product_info(slug) for slug in ranked_slugs(data, on) if slug in stocked]


def _sc_products() -> list[Product]:
    stocked = set(StockProduct.objects.values_list("catalog_slug", flat=True))
    return [
        p
        for p in default_catalog().all()
        if Route.SC in p.routes and p.vial_sizes and (not stocked or p.slug in stocked)
    ]


def _per_kg(grams: float, weight_kg: float) -> Decimal:
    """Grams per infusion as the order's g/kg, rounded down so the new order never asks for more."""
    return (Decimal(str(grams)) / Decimal(str(weight_kg))).quantize(Decimal("0.001"), rounding=ROUND_FLOOR)


def _candidate(proposal: Proposal, order: TherapyOrder, weight_kg: float) -> Candidate | None:
    weeks = proposal.interval_days / 7
    if not math.isclose(weeks, round(weeks)) or round(weeks) < 1:
        return None  # the order counts whole weeks between doses
    fields: dict[str, object] = {}
    if round(weeks) != order.repeat_interval_weeks:
        fields["repeat_interval_weeks"] = round(weeks)
    if proposal.route is Route.SC and order.route != Route.SC.value:
        fields.update(route=Route.SC.value, sc_dose_g=_grams(proposal.dose_g), product_slug=proposal.product)
    else:
        if proposal.product != order.product_for_plan:
            fields["product_slug"] = proposal.product
        if not math.isclose(proposal.dose_g, proposal.current_dose_g) or proposal.kind in (
            ProposalKind.LOWEST_EFFECTIVE_DOSE,
            ProposalKind.TROUGH_GUIDED,
        ):
            if order.route == Route.SC.value:
                fields["sc_dose_g"] = _grams(proposal.dose_g)
            else:
                fields["dose_g_per_kg"] = _per_kg(proposal.dose_g, weight_kg)
    notes = " ".join(proposal.safety_notes)
    return Candidate(
        kind=KINDS[proposal.kind],
        rationale=f"{proposal.rationale[:1].upper()}{proposal.rationale[1:]}. {notes}".strip(),
        current_g_per_12_weeks=_per_12_weeks(proposal.current_dose_g, proposal.current_interval_days),
        proposed_g_per_12_weeks=_per_12_weeks(proposal.dose_g, proposal.interval_days),
        source="; ".join(proposal.sources),
        **fields,  # type: ignore[arg-type]
    )


def candidates(order: TherapyOrder, on: date) -> list[Candidate]:
    """The clinical core's conservation measures for this order, as order changes (none for a one-off)."""
    found = regimen_of(order, on)
    if found is None:
        return []
    regimen, weight_kg = found
    result = proposals_for(
        regimen,
        conservation_settings(),
        sc_products=_sc_products(),
        alternatives=_alternatives(order, on),
    )
    made = (_candidate(p, order, weight_kg) for p in result.proposals)
    return [c for c in made if c is not None]


def substitution(order: TherapyOrder, product_slug: str, on: date, why: str) -> Candidate:
    """A switch to another product in a shortage: the grams it uses with that product's vials."""
    current = _course_g(order, order.product_for_plan, on)
    proposed = _course_g(order, product_slug, on)
    days = (order.repeat_interval_weeks or 12) * 7  # a one-off course counts once in the 12 weeks
    old = product_name(order.product_for_plan) if order.product_for_plan else "the pharmacy's choice"
    return Candidate(
        kind=Kind.SUBSTITUTION,
        rationale=f"Switch from {old} to {product_name(product_slug)}: {why}",
        current_g_per_12_weeks=_per_12_weeks(current, days),
        proposed_g_per_12_weeks=_per_12_weeks(proposed if proposed else current, days),
        product_slug=product_slug,
        source="reference s15: national shortage plans (allocation per phase)",
    )


def _course_g(order: TherapyOrder, product_slug: str, on: date) -> float:
    """Grams of whole vials one course uses with this product (0 when it cannot be planned)."""
    if product_slug == order.product_for_plan and (order.plan or {}).get("dispensed_dose_g"):
        return float(order.plan["dispensed_dose_g"])  # type: ignore[index]
    outcome = compute_plan(OrderInput.from_order(order, product_slug=product_slug), on)
    return 0.0 if outcome.plan is None else outcome.plan.dispensed_dose_g
