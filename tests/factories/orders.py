"""An order's history as stored: a completed course and the lots dispensed for it."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from ivig.orders.models import DispensedLot, TherapyOrder
from tests.factories.inventory import StockMovementFactory


class CompletedOrderFactory(DjangoModelFactory[TherapyOrder]):
    """A course signed by `prescriber`, verified and dispensed by `pharmacist` at `dispensed_at`, completed.

    Pass `patient`, `prescriber`, `pharmacist`, `dispensed_at`; signed and verified then too unless told."""

    class Meta:
        model = TherapyOrder
        exclude = ("pharmacist",)

    status = TherapyOrder.Status.COMPLETED
    regimen = "pi"
    product_slug = "privigen"
    weight_kg = Decimal("50")
    created_by = factory.SelfAttribute("prescriber")
    signed_at = factory.SelfAttribute("dispensed_at")
    verified_by = factory.SelfAttribute("pharmacist")
    verified_at = factory.SelfAttribute("dispensed_at")
    dispensed_by = factory.SelfAttribute("pharmacist")


def dispensed_lot(order: TherapyOrder, lot: object, vials: int, **movement: object) -> DispensedLot:
    """`vials` of `lot` out of stock for `order` (the ledger row, then the order's line)."""
    fields = {"recorded_by": order.dispensed_by, "recorded_at": order.dispensed_at} | movement
    made = StockMovementFactory(lot=lot, kind="dispense", quantity_vials=-vials, **fields)
    return DispensedLot.objects.create(order=order, lot=lot, quantity_vials=vials, movement=made)
