"""Fixtures for stock and orders: lots received, orders written, signed and dispensed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest


@pytest.fixture
def make_lot(db: None) -> Callable[..., Any]:
    """Receive a lot of a stocked product (Privigen 10 g unless told), registering the product once."""
    from ivig.inventory import actions
    from ivig.inventory.models import StockProduct

    def make(
        by: Any,
        *,
        lot_number: str = "P100",
        vials: int = 10,
        expiry_date: date = date(2099, 12, 31),
        catalog_slug: str = "privigen",
        vial_size_g: str = "10",
        received_on: date | None = None,
    ) -> Any:
        product = StockProduct.objects.filter(
            catalog_slug=catalog_slug, vial_size_g=Decimal(vial_size_g)
        ).first()
        if product is None:
            product = actions.register_product(
                by=by, catalog_slug=catalog_slug, vial_size_g=Decimal(vial_size_g)
            )
        movement = actions.receive_stock(
            by=by,
            product=product,
            lot_number=lot_number,
            expiry_date=expiry_date,
            quantity_vials=vials,
            today=received_on,
        )
        return movement.lot

    return make


@pytest.fixture
def make_order(db: None, make_patient: Callable[..., Any]) -> Callable[..., Any]:
    """Write (and by default sign) an order: ITP 1 g/kg x 2 days of Privigen for a 25 kg child unless told."""
    from ivig.demo.orders import give_caution_reasons
    from ivig.orders import actions

    def make(prescriber: Any, *, patient: Any = None, sign: bool = True, **fields: Any) -> Any:
        today = date.today()
        patient = patient or make_patient(
            prescriber,
            given_name="Mia",
            date_of_birth=date(today.year - 8, 1, 15),
            weight_kg="25",
            height_cm=None,
        )
        values: dict[str, Any] = {
            "regimen": "itp",
            "route": "iv",
            "product_slug": "privigen",
            "dose_g_per_kg": Decimal("1"),
            "days": 2,
            "weight_kg": Decimal("25"),
            "height_cm": None,
            "labs": {"platelets": {"value": "12", "taken_on": today.isoformat()}},
            "screening": {"first_infusion": True},
            "justification": "Newly diagnosed ITP with bleeding",
        }
        values.update(fields)
        order = actions.save_draft(by=prescriber, patient=patient, fields=values)
        if not sign:
            return order
        if "caution_reasons" not in fields:
            # A real reason for each caution, as a prescriber gives before signing (issue 16).
            order = give_caution_reasons(prescriber, order, today)
        # Tests build a patient's history of orders on purpose: a second active order is meant (issue 17).
        return actions.sign_order(by=prescriber, order=order, overlap_acknowledged=True)

    return make


@pytest.fixture
def make_dispensed_order(
    db: None, make_user: Callable[..., Any], make_lot: Callable[..., Any], make_order: Callable[..., Any]
) -> Callable[..., Any]:
    """A signed, verified and dispensed order (the make_order default), with its lots."""
    from tests.drivers.orders import verify_and_dispense

    counter = iter(range(1, 10_000))

    def make(*, patient: Any = None) -> Any:
        from ivig.accounts.models import User

        prescriber = User.objects.filter(username="prescriber").first() or make_user("Prescriber")
        pharmacist = User.objects.filter(username="pharmacist").first() or make_user("Pharmacist")
        order = make_order(prescriber, patient=patient)
        n = next(counter)
        big = make_lot(pharmacist, lot_number=f"BIG{n}", vials=2, vial_size_g="20")
        small = make_lot(pharmacist, lot_number=f"SMALL{n}", vials=2, vial_size_g="5")
        return verify_and_dispense(order, by=pharmacist, picks=[(big, 2), (small, 2)])

    return make
