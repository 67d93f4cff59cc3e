"""Demo orders in every state, so each worklist has something on it after `make run`. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ivig.orders import actions
from ivig.orders.actions import OrderError
from ivig.orders.pharmacy import dispense_order, suggested_picks, verify_order, vial_needs
from ivig.patients.models import Patient


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
        written += 1
        try:
            _advance(order, demo.stage, prescriber, pharmacist, today)
        except OrderError:
            continue  # the demo goes only as far as the demo stock allows
    return written


def _advance(order: Any, stage: str, prescriber: Any, pharmacist: Any, today: date) -> None:
    if stage == "draft":
        return
    order = actions.sign_order(by=prescriber, order=order, today=today)
    if stage == "signed" or order.status != "signed":
        return
    order = verify_order(
        by=pharmacist, order=order, weight_kg=order.weight_kg, dose_confirmed=True, today=today
    )
    if stage == "verified":
        return
    picks = suggested_picks(order, today)
    needs = {need.size_g: need.count for need in vial_needs(order)}
    if all(sum(p.vials for p in picks.get(size, [])) == count for size, count in needs.items()):
        chosen = [(pick.lot, pick.vials) for size in needs for pick in picks[size]]
        dispense_order(by=pharmacist, order=order, picks=chosen, today=today)
