"""What the prescriber sees before accepting a proposal: the new version's plan as the order pages compute it,
its stops and cautions (with the reasons already on the order), and what changes."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from ivig.clinical import InfusionPlan
from ivig.conservation.actions import proposed_fields
from ivig.conservation.models import ConservationProposal, Kind
from ivig.conservation.switching import reactions_to
from ivig.orders import findings
from ivig.orders.actions import can_revise, overlapping_orders
from ivig.orders.models import TherapyOrder
from ivig.orders.planning import OrderInput, PlanOutcome, compute_plan, product_name, treated_as_first

_INPUT_FIELDS = {f.name for f in fields(OrderInput)}


@dataclass
class Review:
    proposal: ConservationProposal
    outcome: PlanOutcome
    changes: list[tuple[str, str, str]]  # (what, before, after)
    cautions: list[findings.Caution] = field(default_factory=list)
    stops: list[str] = field(default_factory=list)
    first_infusion_rates: bool = False
    reactions_to_new_product: int = 0
    overlapping: list[TherapyOrder] = field(default_factory=list)

    @property
    def plan(self) -> InfusionPlan | None:
        return self.outcome.plan

    @property
    def needs_review_date(self) -> bool:
        return self.proposal.kind == Kind.LOWEST_DOSE


def _describe(name: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if name == "product_slug":
        return product_name(str(value))
    if name == "route":
        return str(TherapyOrder.Route(value).label)
    if name == "repeat_interval_weeks":
        return f"every {value} weeks"
    if name == "accept_rounded_dose":
        return "whole vials" if value else "prescribed dose"
    if name == "dose_g_per_kg":
        return f"{value} g/kg"
    if name == "sc_dose_g":
        return f"{value} g"
    return str(value)


LABELS = {
    "route": "Route",
    "product_slug": "Product",
    "dose_g_per_kg": "Dose",
    "sc_dose_g": "SC dose",
    "repeat_interval_weeks": "Interval",
    "accept_rounded_dose": "Vials",
}


def review(proposal: ConservationProposal, today: date, reasons: dict[str, str] | None = None) -> Review:
    source = proposal.source_order
    changed = proposed_fields(proposal, reasons or {})
    data = replace(OrderInput.from_order(source), **{k: v for k, v in changed.items() if k in _INPUT_FIELDS})
    outcome = compute_plan(data, today)
    rows = [
        (LABELS[name], _describe(name, getattr(source, name)), _describe(name, value))
        for name, value in proposal.changes().items()
        if name in LABELS
    ]
    result = Review(proposal, outcome, rows)
    if outcome.plan is not None:
        result.cautions = findings.cautions(outcome.plan, data.caution_reasons)
        result.stops = findings.stop_problems(outcome.plan)
    new_product = changed.get("product_slug")
    if new_product and new_product != source.product_for_plan:
        probe = TherapyOrder(screening=changed.get("screening") or {})
        result.first_infusion_rates = treated_as_first(probe)
        result.reactions_to_new_product = reactions_to(source.patient, new_product)
    # A new version replaces its source; the next course (a given source) runs beside the patient's others.
    result.overlapping = overlapping_orders(source.patient, source if can_revise(source) else None)
    return result
