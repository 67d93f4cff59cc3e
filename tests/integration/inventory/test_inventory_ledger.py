"""Stock is the sum of the ledger's movements, and the database never holds a negative balance."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from ivig.inventory.actions import StockError, dispense, receive_stock
from ivig.inventory.models import Location, LotBalance, StockMovement


def _ledger_sum(lot):
    return StockMovement.objects.filter(lot=lot).aggregate(total=Sum("quantity_vials"))["total"]


def test_it_keeps_the_balance_equal_to_the_sum_of_movements(make_user, make_lot):
    pharmacist = make_user("Pharmacist")
    lot = make_lot(pharmacist, vials=5)
    steps = random.Random(20260301)
    refused = 0
    for step in range(60):
        vials = steps.randint(1, 4)
        try:
            if steps.random() < 0.35:
                receive_stock(
                    by=pharmacist,
                    product=lot.product,
                    lot_number=lot.lot_number,
                    expiry_date=lot.expiry_date,
                    quantity_vials=vials,
                )
            else:
                dispense(by=pharmacist, lot=lot, quantity_vials=vials, reference=f"order {step}")
        except StockError:
            refused += 1
        assert lot.on_hand_vials == _ledger_sum(lot) >= 0
    assert refused > 0  # the sequence did run the lot dry at least once


def test_it_refuses_a_negative_balance_in_the_database(make_user, make_lot):
    lot = make_lot(make_user("Pharmacist"), vials=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        LotBalance.objects.filter(lot=lot).update(on_hand_vials=F("on_hand_vials") - 3)

    assert lot.on_hand_vials == 2


@pytest.mark.parametrize(
    ("kind", "quantity_vials", "reason"),
    [("receive", -1, ""), ("dispense", 2, ""), ("adjust", 0, "count"), ("waste", -1, ""), ("return", 0, "")],
)
def test_it_refuses_a_movement_whose_sign_or_reason_does_not_fit_its_kind(
    make_user, make_lot, kind, quantity_vials, reason
):
    pharmacist = make_user("Pharmacist")
    lot = make_lot(pharmacist)

    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(
            lot=lot,
            location=Location.default(),
            kind=kind,
            quantity_vials=quantity_vials,
            reason=reason,
            recorded_by=pharmacist,
        )


def test_it_accepts_a_reasoned_wastage(make_user, make_lot):
    pharmacist = make_user("Pharmacist")
    lot = make_lot(pharmacist)

    StockMovement.objects.create(
        lot=lot,
        location=Location.default(),
        kind="waste",
        quantity_vials=-1,
        reason="dropped",
        recorded_by=pharmacist,
    )

    assert _ledger_sum(lot) == 9


def test_it_records_who_and_when_on_every_movement(make_user, make_lot):
    pharmacist = make_user("Pharmacist")
    lot = make_lot(pharmacist, received_on=date(2026, 1, 5))

    movement = StockMovement.objects.get(lot=lot)

    assert movement.recorded_by == pharmacist
    assert movement.recorded_at is not None
