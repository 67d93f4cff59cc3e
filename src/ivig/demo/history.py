"""Twelve months of past activity for the demo centre, so the reports mean something after `make run`.

For the demo patients: repeated and one-off courses (several indications, products and prescribers), planned
by the clinical core, signed, verified and dispensed from lots received over the year, each day given as a
completed flowsheet (centre or home) with pump segments, vital signs and the vials scanned; some reactions
(recorded through the flowsheet's own action, so each becomes an adverse event), a few diary follow-ups,
wasted vials, lab results, outcome records and authorisations ending over the coming 90 days
(`demo_outcomes`). History rows are written in bulk, without audit events, with explicit past timestamps; the
stock ledger stays whole: every lot's stock is the sum of its movements and never negative.

Deterministic (a fixed seed, dates relative to the day of loading) and idempotent: nothing is written when
the history lots are already there.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ivig.accounts.models import User
from ivig.demo import outcomes as demo_outcomes
from ivig.demo.flowsheets import write_sessions
from ivig.demo.outcomes import HistoryOrder, at
from ivig.demo.users import role_user
from ivig.inventory import actions as stock
from ivig.inventory.models import Location, Lot, LotBalance, StockMovement, StockProduct
from ivig.orders.findings import cautions
from ivig.orders.models import Authorisation, DispensedLot, TherapyOrder
from ivig.orders.planning import OrderInput, compute_plan
from ivig.patients.models import Patient

SEED = 20_261_129
LOT_PREFIX = "RB-YR"  # every history lot's number starts so (the idempotence check looks for them)
HISTORY_DAYS = 365
APPROVAL_REGIMENS = ("cidp-maintenance", "mmn")  # the demo site approves CIDP and MMN (demo/load.py)


@dataclass(frozen=True)
class Therapy:
    mrn: str
    regimen: str
    product: str
    dose_g_per_kg: str
    every_weeks: int | None  # None: one course
    first_days_ago: int
    prescriber: int  # index into PRESCRIBERS
    setting: str = "centre"
    weight_basis: str = ""  # the prescriber's choice against the policy (with WEIGHT_BASIS_REASON)
    days: int | None = None
    authorised_days_left: int | None = None  # the latest approval ends this many days after loading
    override_reason: str = ""  # off-label use: the prescriber's reason


WEIGHT_BASIS_REASON = "BMI over 35: adjusted body weight as the neurology team agreed for this patient"
# Off-label uses the demo prescribers justify (the stocked product labelled for them, Gammagard S/D, has no
# rate steps in the label data, so the flowsheet could not run it).
SID_REASON = "Secondary immunodeficiency after CLL treatment, recurrent infections: haematology agreed"
KAWASAKI_REASON = "Kawasaki disease, 2 g/kg single dose (AHA 2017); the product on hand, as the team agreed"
GBS_REASON = (
    "No product is labelled for GBS here; the neurology team gives 0.4 g/kg for 5 days (guideline use)"
)
# Any other caution of a demo plan (a large daily dose, whole vials over the dose) gets this reason.
CAUTION_REASON = "Demo: the treating team reviewed this caution and agreed the plan for this patient"
PRESCRIBERS = (
    ("prescriber", "", ""),  # the demo Prescriber login
    ("dr.adeyemi", "Tola", "Adeyemi"),
    ("dr.lindqvist", "Eva", "Lindqvist"),
)
THERAPIES = (
    Therapy("RB100004", "pi", "privigen", "0.4", 4, 360, 0),
    Therapy("RB100012", "pi", "privigen", "0.5", 4, 350, 1),
    Therapy("RB100009", "pi", "gamunex-c", "0.4", 4, 300, 0),
    Therapy("RB100019", "pi", "gamunex-c", "0.4", 4, 340, 2, setting="home"),
    Therapy("RB100020", "sid", "privigen", "0.4", 4, 330, 1, override_reason=SID_REASON),
    Therapy("RB100014", "mmn", "gammagard-liquid", "1", 4, 345, 2, "home", authorised_days_left=85),
    Therapy("RB100013", "cidp-maintenance", "gamunex-c", "1", 3, 355, 0, "centre", "adjusted", None, 20),
    Therapy("RB100016", "mmn", "gammagard-liquid", "1", 4, 320, 1, "centre", "adjusted", None, 45),
    Therapy("RB100011", "cidp-maintenance", "privigen", "1", 3, 280, 2, authorised_days_left=75),
    Therapy("RB100017", "dm", "octagam-10", "2", 4, 300, 1),
    Therapy("RB100006", "itp", "privigen", "1", None, 240, 0, days=2),
    Therapy("RB100008", "itp", "gamunex-c", "1", None, 90, 1, days=2),
    Therapy("RB100002", "kawasaki", "privigen", "2", None, 150, 0, override_reason=KAWASAKI_REASON),
    Therapy("RB100018", "gbs", "gamunex-c", "0.4", None, 200, 2, days=5, override_reason=GBS_REASON),
)  # fmt: skip
# Vials wasted over the year: (product, reason code, reason, vials); the wastage report adds them up.
WASTE = (
    ("privigen", "expired", "Expired on the shelf before use", 2),
    ("privigen", "damaged", "Vial dropped and cracked", 1),
    ("gamunex-c", "cold_chain", "Fridge alarm overnight: excursion above 8 °C", 3),
    ("gamunex-c", "not_given", "Prepared, infusion cancelled: patient febrile on arrival", 1),
    ("privigen", "not_given", "Spiked, not given: IV access lost", 1),
)


def _course_days(therapy: Therapy, today: date) -> list[date]:
    first = today - timedelta(days=therapy.first_days_ago)
    if therapy.every_weeks is None:
        return [first]
    days, day = [], first
    while day <= today - timedelta(days=7):
        days.append(day)
        day += timedelta(weeks=therapy.every_weeks)
    return days


def _prescribers() -> list[User]:
    # History only: no password, they never sign in.
    return [
        role_user(username, "Prescriber", first_name=first, last_name=last)[0]
        for username, first, last in PRESCRIBERS
    ]


def load_demo_history(users: dict[str, Any], today: date) -> int:
    """Write the year of history unless it is there; return how many past orders were written."""
    if Lot.objects.filter(lot_number__startswith=LOT_PREFIX).exists():
        return 0
    rng = random.Random(SEED)
    prescribers = _prescribers()
    patients = {p.mrn: p for p in Patient.objects.filter(mrn__in={t.mrn for t in THERAPIES})}
    planned: list[tuple[Therapy, Patient, date, dict[str, Any]]] = []
    for therapy in THERAPIES:
        patient = patients.get(therapy.mrn)
        if patient is None:
            continue
        days = _course_days(therapy, today)
        # One plan for the series (a repeat order copies the last one; the demo weights do not change).
        plan = _plan(therapy, patient, days[0])
        if plan is not None:
            planned.extend((therapy, patient, day, plan) for day in days)
    orders = _write_orders(planned, prescribers, users, today)
    _write_ledger(orders, users["Pharmacist"], today, rng)
    sessions = write_sessions(orders, users["Nurse"], rng)
    demo_outcomes.load(orders, sessions, users, today, rng)
    return len(orders)


def _order_input(therapy: Therapy, patient: Patient, weight: Any, height: Any) -> OrderInput:
    return OrderInput(
        patient=patient,
        regimen=therapy.regimen,
        route="iv",
        product_slug=therapy.product,
        weight_kg=weight,
        height_cm=height,
        dose_g_per_kg=Decimal(therapy.dose_g_per_kg),
        days=therapy.days,
        weight_basis=therapy.weight_basis,
        weight_basis_reason=WEIGHT_BASIS_REASON if therapy.weight_basis else "",
    )


def _plan(therapy: Therapy, patient: Patient, day: date) -> dict[str, Any] | None:
    weight, height = patient.latest_weight(), patient.latest_height()
    data = _order_input(
        therapy, patient, weight.weight_kg if weight else Decimal(20), height.height_cm if height else None
    )
    outcome = compute_plan(data, day)
    if outcome.plan is None or outcome.plan.stops:
        return None
    # Each caution carries the prescriber's reason (the off-label reason, where the demo has one).
    reason = therapy.override_reason or CAUTION_REASON
    items = cautions(outcome.plan, {c.code: reason for c in outcome.plan.cautions})
    return outcome.plan.to_dict() | {"cautions": [c.as_dict() for c in items]}


def _acknowledged(plan: dict[str, Any], by: User, moment: Any) -> dict[str, Any]:
    """The plan as the demo pharmacist verified it: each caution acknowledged."""
    who = {"acknowledged_by": by.display_name, "acknowledged_at": moment.isoformat()}
    return plan | {"cautions": [c | who for c in plan.get("cautions", [])]}


def _write_orders(
    planned: list[tuple[Therapy, Patient, date, dict[str, Any]]],
    prescribers: list[User],
    users: dict[str, Any],
    today: date,
) -> list[HistoryOrder]:
    pharmacist = users["Pharmacist"]
    rows, notes = [], []
    for therapy, patient, day, plan in planned:
        prescriber = prescribers[therapy.prescriber]
        weight = Decimal(str(plan["actual_weight_kg"]))
        height = patient.latest_height()
        rows.append(
            TherapyOrder(
                patient=patient,
                status=TherapyOrder.Status.COMPLETED,
                regimen=therapy.regimen,
                route="iv",
                product_slug=therapy.product,
                dose_g_per_kg=Decimal(therapy.dose_g_per_kg),
                days=therapy.days,
                repeat_interval_weeks=therapy.every_weeks,
                weight_kg=weight,
                height_cm=height.height_cm if height else None,
                weight_basis=therapy.weight_basis,
                weight_basis_reason=WEIGHT_BASIS_REASON if therapy.weight_basis else "",
                override_reason=therapy.override_reason,
                premedication="Paracetamol and cetirizine 30-60 min before",
                justification="Demo history",
                caution_reasons={c["code"]: c["reason"] for c in plan.get("cautions", [])},
                caution_acknowledgements={
                    c["code"]: {
                        "by": pharmacist.pk,
                        "by_name": pharmacist.display_name,
                        "at": at(day - timedelta(days=1), 15).isoformat(),
                    }
                    for c in plan.get("cautions", [])
                },
                signed_plan=plan,
                verified_plan=_acknowledged(plan, pharmacist, at(day - timedelta(days=1), 15)),
                verified_product_slug=therapy.product,
                verified_weight_kg=weight,
                approval_required=therapy.regimen in APPROVAL_REGIMENS,
                created_by=prescriber,
                prescriber=prescriber,
                signed_at=at(day - timedelta(days=3), 11),
                verified_by=pharmacist,
                verified_at=at(day - timedelta(days=1), 15),
                dispensed_by=pharmacist,
                dispensed_at=at(day, 8, 15),
            )
        )
        notes.append((therapy, day, plan))
    created = TherapyOrder.objects.bulk_create(rows)
    orders = [
        HistoryOrder(
            order,
            therapy.setting,
            day,
            therapy.authorised_days_left,
            plan,
            at(day - timedelta(days=3), 11),
            at(day, 8, 15),
        )
        for order, (therapy, day, plan) in zip(created, notes, strict=True)
    ]
    for item in orders:
        item.order.created_at = item.signed_at - timedelta(hours=1)
    TherapyOrder.objects.bulk_update(created, ["created_at"])
    _write_authorisations(orders, users["Approver"], today)
    return orders


def _write_authorisations(orders: list[HistoryOrder], approver: User, today: date) -> None:
    """Each approved course: a week's approval, except each patient's latest, which ends after today."""
    latest: dict[int, HistoryOrder] = {}
    for item in orders:
        if item.order.approval_required:
            latest[item.order.patient_id] = item
    rows = []
    for item in orders:
        if not item.order.approval_required:
            continue
        ends = item.day + timedelta(days=7)
        if latest[item.order.patient_id] is item and item.authorised_days_left is not None:
            ends = today + timedelta(days=item.authorised_days_left)
        rows.append(
            Authorisation(
                order=item.order,
                approved=True,
                reason="Meets the panel's criteria: documented response on the last review",
                valid_until=ends,
                decided_by=approver,
                decided_at=item.signed_at + timedelta(hours=3),
            )
        )
    Authorisation.objects.bulk_create(rows)


def _write_ledger(orders: list[HistoryOrder], pharmacist: User, today: date, rng: random.Random) -> None:
    """Receive one lot per product, vial size and quarter; dispense every order from it; waste a few vials
    (from the oldest lots first, so a lot wasted as expired had expired by the day of loading)."""
    needs: dict[tuple[str, Decimal, int], list[tuple[HistoryOrder, int]]] = defaultdict(list)
    for item in orders:
        counts: dict[Decimal, int] = defaultdict(int)
        for day in item.plan["days"]:
            for vial in day["vials"]:
                counts[Decimal(str(vial["size_g"]))] += int(vial["count"])
        quarter = (today - item.day).days // 92
        for size, count in counts.items():
            needs[(item.order.product_slug, size, quarter)].append((item, count))
    wasted_by_product: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for product, code, reason, vials in WASTE:
        wasted_by_product[product].append((code, reason, vials))
    pharmacy = Location.default()
    products: dict[tuple[str, Decimal], StockProduct] = {}
    movements: list[StockMovement] = []
    dispensings: list[tuple[HistoryOrder, Lot, int, StockMovement]] = []
    balances: list[LotBalance] = []
    for (slug, size, quarter), uses in sorted(
        needs.items(), key=lambda pair: (pair[0][0], -pair[0][2], pair[0][1])
    ):
        key = (slug, size)
        if key not in products:
            products[key] = StockProduct.objects.filter(catalog_slug=slug, vial_size_g=size).first() or (
                stock.register_product(by=pharmacist, catalog_slug=slug, vial_size_g=size, gtin=None)
            )
        first_use = min(item.day for item, _count in uses)
        received = at(first_use - timedelta(days=10), 9, 30)
        waste = wasted_by_product[slug].pop() if wasted_by_product[slug] else None
        waste_vials = waste[2] if waste else 0
        total = sum(count for _item, count in uses) + waste_vials
        lot = Lot.objects.create(
            product=products[key],
            lot_number=f"{LOT_PREFIX}{slug[:2].upper()}{size.normalize():f}Q{quarter}"[:20],
            expiry_date=first_use + timedelta(days=180),
            received_at=received,
        )
        movements.append(
            _movement(lot, pharmacy, "receive", total, received, pharmacist, "Demo history delivery")
        )
        for item, count in uses:
            moved = _movement(
                lot,
                pharmacy,
                "dispense",
                -count,
                item.dispensed_at,
                pharmacist,
                f"Order {item.order.pk}",
            )
            movements.append(moved)
            dispensings.append((item, lot, count, moved))
        if waste is not None:
            code, reason, vials = waste
            moment = (
                at(lot.expiry_date + timedelta(days=1), 9)
                if code == "expired"
                else received + timedelta(days=rng.randint(5, 40))
            )
            moment = min(moment, at(today - timedelta(days=1), 9))
            wasted = _movement(lot, pharmacy, "waste", -vials, moment, pharmacist, "")
            wasted.reason_code, wasted.reason = code, reason
            movements.append(wasted)
        balances.append(LotBalance(lot=lot, location=pharmacy, on_hand_vials=0))  # all used or wasted
    StockMovement.objects.bulk_create(movements)
    LotBalance.objects.bulk_create(balances)
    DispensedLot.objects.bulk_create(
        [
            DispensedLot(order=item.order, lot=lot, quantity_vials=count, movement=moved)
            for item, lot, count, moved in dispensings
        ]
    )
    for item, lot, _count, _moved in dispensings:
        item.lots.append(lot)


def _movement(
    lot: Lot, location: Location, kind: str, vials: int, at: datetime, by: User, reference: str
) -> StockMovement:
    return StockMovement(
        lot=lot,
        location=location,
        kind=kind,
        quantity_vials=vials,
        reference=reference,
        recorded_by=by,
        recorded_at=at,
    )
