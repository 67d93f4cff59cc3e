"""Demo orders in every state, so each worklist has something on it after `make run`. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ivig.orders import actions
from ivig.orders.actions import OrderError
from ivig.orders.models import TherapyOrder
from ivig.orders.pharmacy import dispense_order, suggested_picks, verify_order, vial_needs
from ivig.orders.planning import OrderInput, compute_plan
from ivig.patients.models import Patient

if TYPE_CHECKING:
    from ivig.accounts.models import User

# The demo prescriber's reason for any caution of a demo plan (a real reason: signing checks it).
DEMO_CAUTION_REASON = "Demo: the treating team reviewed this caution and agreed the plan for this patient"


@dataclass(frozen=True)
class DemoOrder:
    mrn: str
    regimen: str
    product_slug: str
    dose_g_per_kg: str | None
    stage: str  # draft, signed, verified, dispensed
    labs: dict[str, str] = field(default_factory=dict)
    days: int | None = None
    repeat_interval_weeks: int | None = None
    justification: str = "Demo order"


DEMO_ORDERS = (
    DemoOrder("RB100006", "itp", "privigen", "1", "signed", {"platelets": "14"}, days=2,
              justification="Acute ITP, platelets 14, petechiae and nosebleeds"),
    DemoOrder("RB100012", "pi", "privigen", "0.4", "verified", {"igg": "3.1"}, repeat_interval_weeks=4,
              justification="Common variable immunodeficiency, IgG 3.1 g/L, recurrent pneumonia"),
    DemoOrder("RB100015", "cidp-maintenance", "gamunex-c", "1", "signed", repeat_interval_weeks=3,
              justification="CIDP on maintenance, INCAT stable at 2"),
    DemoOrder("RB100009", "pi", "", "0.4", "draft", {"igg": "2.8"}, repeat_interval_weeks=4,
              justification="X-linked agammaglobulinaemia, transfer of care"),
    DemoOrder("RB100004", "pi", "privigen", "0.6", "dispensed", {"igg": "4.0"}, repeat_interval_weeks=4,
              justification="Primary immunodeficiency, trough 4.0 g/L"),
)  # fmt: skip


def load_demo_orders(users: dict[str, Any], today: date) -> int:
    """Write the demo orders that are not there yet; return how many were written."""
    prescriber, pharmacist = users["Prescriber"], users["Pharmacist"]
    written = 0
    for demo in DEMO_ORDERS:
        patient = Patient.objects.filter(mrn=demo.mrn).first()
        if patient is None or patient.orders.exists():
            continue
        weight = patient.latest_weight()
        fields: dict[str, Any] = {
            "regimen": demo.regimen,
            "route": "iv",
            "product_slug": demo.product_slug,
            "dose_g_per_kg": None if demo.dose_g_per_kg is None else Decimal(demo.dose_g_per_kg),
            "days": demo.days,
            "repeat_interval_weeks": demo.repeat_interval_weeks,
            "weight_kg": weight.weight_kg if weight else Decimal("20"),
            "height_cm": None,
            "labs": {
                kind: {"value": value, "taken_on": (today - timedelta(days=7)).isoformat()}
                for kind, value in demo.labs.items()
            },
            "screening": {},
            "premedication": "Paracetamol and cetirizine 30-60 min before",
            "justification": demo.justification,
        }
        order = actions.save_draft(by=prescriber, patient=patient, fields=fields)
        order = give_caution_reasons(prescriber, order, today)
        written += 1
        try:
            _advance(order, demo.stage, prescriber, pharmacist, today)
        except OrderError:
            continue  # the demo goes only as far as the demo stock allows
    return written


def give_caution_reasons(by: User, order: TherapyOrder, today: date) -> TherapyOrder:
    """Give the demo reason for each caution of the draft's plan, as a prescriber would before signing."""
    outcome = compute_plan(OrderInput.from_order(order), today)
    if outcome.plan is None or not outcome.plan.cautions:
        return order
    reasons = {finding.code: DEMO_CAUTION_REASON for finding in outcome.plan.cautions}
    return actions.save_draft(by=by, patient=order.patient, fields={"caution_reasons": reasons}, order=order)


def acknowledged_codes(order: TherapyOrder) -> list[str]:
    """Every caution the prescriber signed with: the demo pharmacist acknowledges each one."""
    return [caution["code"] for caution in (order.signed_plan or {}).get("cautions", [])]


def _advance(order: Any, stage: str, prescriber: Any, pharmacist: Any, today: date) -> None:
    if stage == "draft":
        return
    order = actions.sign_order(by=prescriber, order=order, today=today)
    if stage == "signed" or order.status != "signed":
        return
    order = verify_order(
        by=pharmacist,
        order=order,
        weight_kg=order.weight_kg,
        dose_confirmed=True,
        acknowledged=acknowledged_codes(order),
        today=today,
    )
    if stage == "verified":
        return
    picks = suggested_picks(order, today)
    needs = {need.size_g: need.count for need in vial_needs(order)}
    if all(sum(p.vials for p in picks.get(size, [])) == count for size, count in needs.items()):
        chosen = [(pick.lot, pick.vials) for size in needs for pick in picks[size]]
        dispense_order(by=pharmacist, order=order, picks=chosen, today=today)
