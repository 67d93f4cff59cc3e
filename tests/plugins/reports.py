"""A small hand-made data set for the report tests: every number a report shows can be counted by hand.

Rows are written straight to the tables with the factories in tests/factories (the reports only read them),
at fixed dates in early 2026.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ivig.infusions.models import Reaction
from ivig.inventory.models import Lot, StockMovement
from ivig.orders.models import TherapyOrder
from ivig.reports.period import Period
from tests.factories.infusions import InfusionSessionFactory, ReactionFactory
from tests.factories.inventory import LotFactory, StockMovementFactory, StockProductFactory
from tests.factories.orders import CompletedOrderFactory, dispensed_lot

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
    made = LotFactory(
        product=StockProductFactory(catalog_slug=slug, vial_size_g=Decimal(size_g)), lot_number=number
    )
    StockMovementFactory(
        lot=made, kind="receive", quantity_vials=vials, recorded_by=by, recorded_at=at(date(2025, 12, 1))
    )
    return made


def dispensed(
    data: Data, patient: Any, regimen: str, the_lot: Lot, vials: int, day: date, prescriber: Any, **extra: Any
) -> TherapyOrder:
    order = CompletedOrderFactory(
        patient=patient,
        regimen=regimen,
        product_slug=the_lot.product.catalog_slug,
        prescriber=prescriber,
        pharmacist=data.users["Pharmacist"],
        signed_at=at(day, 7),
        dispensed_at=at(day, 8),
        **extra,
    )
    dispensed_lot(order, the_lot, vials)
    data.orders.append(order)
    return order


def session(order: TherapyOrder, day: date, **extra: Any) -> Any:
    return InfusionSessionFactory(order=order, started_by=order.dispensed_by, started_at=at(day, 10), **extra)


def reaction(infusion: Any, grade: int) -> Reaction:
    return ReactionFactory(session=infusion, grade=grade)


def waste(by: Any, the_lot: Lot, vials: int, code: str, day: date, kind: str = "waste") -> StockMovement:
    return StockMovementFactory(
        lot=the_lot,
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
