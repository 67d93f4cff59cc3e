"""A small hand-made data set for the report tests: every number a report shows can be counted by hand.

Rows are written straight to the tables (the reports only read them), at fixed dates in early 2026.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ivig.infusions.models import InfusionSession, Reaction
from ivig.inventory.models import Location, Lot, StockMovement, StockProduct
from ivig.orders.models import DispensedLot, TherapyOrder
from ivig.reports.period import Period

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), timezone.get_current_timezone())


@dataclass
class Data:
    users: dict[str, Any]
    patients: list[Any] = field(default_factory=list)
    lots: dict[str, Lot] = field(default_factory=dict)
    orders: list[TherapyOrder] = field(default_factory=list)


def lot(by: Any, slug: str, size_g: str, number: str, vials: int = 100) -> Lot:
    product, _ = StockProduct.objects.get_or_create(catalog_slug=slug, vial_size_g=Decimal(size_g))
    made = Lot.objects.create(product=product, lot_number=number, expiry_date=date(2099, 1, 1))
    StockMovement.objects.create(
        lot=made,
        location=Location.default(),
        kind="receive",
        quantity_vials=vials,
        recorded_by=by,
        recorded_at=at(date(2025, 12, 1)),
    )
    return made


def dispensed(
    data: Data, patient: Any, regimen: str, the_lot: Lot, vials: int, day: date, prescriber: Any, **extra: Any
) -> TherapyOrder:
    pharmacist = data.users["Pharmacist"]
    order = TherapyOrder.objects.create(
        patient=patient,
        status=TherapyOrder.Status.COMPLETED,
        regimen=regimen,
        product_slug=the_lot.product.catalog_slug,
        weight_kg=extra.pop("weight_kg", Decimal("50")),
        created_by=prescriber,
        prescriber=prescriber,
        signed_at=at(day, 7),
        verified_by=pharmacist,
        verified_at=at(day, 8),
        dispensed_by=pharmacist,
        dispensed_at=at(day, 8),
        **extra,
    )
    movement = StockMovement.objects.create(
        lot=the_lot,
        location=Location.default(),
        kind="dispense",
        quantity_vials=-vials,
        recorded_by=pharmacist,
        recorded_at=at(day, 8),
    )
    DispensedLot.objects.create(order=order, lot=the_lot, quantity_vials=vials, movement=movement)
    data.orders.append(order)
    return order


def session(
    order: TherapyOrder, day: date, *, setting: str = "centre", day_number: int = 1, **extra: Any
) -> Any:
    nurse = order.dispensed_by
    return InfusionSession.objects.create(
        order=order,
        patient=order.patient,
        day_number=day_number,
        setting=setting,
        status=extra.pop("status", InfusionSession.Status.COMPLETED),
        volume_planned_ml=Decimal("100"),
        started_by=nurse,
        started_at=at(day, 10),
        created_by=nurse,
        **extra,
    )


def reaction(infusion: Any, grade: int) -> Reaction:
    return Reaction.objects.create(
        session=infusion,
        onset_at=infusion.started_at,
        symptoms=["chills"],
        grade=grade,
        rate_at_onset_ml_per_h=Decimal("50"),
        recorded_by=infusion.started_by,
    )


def waste(by: Any, the_lot: Lot, vials: int, code: str, day: date, kind: str = "waste") -> StockMovement:
    return StockMovement.objects.create(
        lot=the_lot,
        location=Location.default(),
        kind=kind,
        quantity_vials=-vials,
        reason_code=code,
        reason="test",
        recorded_by=by,
        recorded_at=at(day, 12),
    )


def usage_data(make_user: Any, make_patient: Any) -> Data:
    """Three orders in the period (two prescribers, two products, two indications) and one before it.

    PI, Privigen 10 g, Ann Able: 3 vials on 10 March and 2 on 7 April for patient 1.
    ITP, Gamunex-C 5 g, Ben Best: 4 vials on 20 April for patient 2. CIDP, 5 vials in 2025 (outside).
    """
    users = {
        "Pharmacist": make_user("Pharmacist"),
        "Ann": make_user("Prescriber", username="ann"),
        "Ben": make_user("Prescriber", username="ben"),
    }
    users["Ann"].first_name, users["Ann"].last_name = "Ann", "Able"
    users["Ann"].save()
    users["Ben"].first_name, users["Ben"].last_name = "Ben", "Best"
    users["Ben"].save()
    data = Data(users)
    data.patients = [make_patient(users["Ann"], given_name=name) for name in ("One", "Two", "Three")]
    pharmacist = users["Pharmacist"]
    data.lots = {
        "privigen": lot(pharmacist, "privigen", "10", "PV1"),
        "gamunex": lot(pharmacist, "gamunex-c", "5", "GX1"),
    }
    one, two, three = data.patients
    dispensed(data, one, "pi", data.lots["privigen"], 3, date(2026, 3, 10), users["Ann"])
    dispensed(data, one, "pi", data.lots["privigen"], 2, date(2026, 4, 7), users["Ann"])
    dispensed(data, two, "itp", data.lots["gamunex"], 4, date(2026, 4, 20), users["Ben"])
    dispensed(data, three, "cidp-maintenance", data.lots["privigen"], 5, date(2025, 1, 5), users["Ben"])
    return data
