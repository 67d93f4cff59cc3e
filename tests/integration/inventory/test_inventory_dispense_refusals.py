"""Expired, recalled, quarantined and short lots are never dispensed, and a refusal writes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from ivig.audit.models import AuditEvent
from ivig.inventory.actions import StockError, dispense, quarantine_lot, recall_lot
from ivig.inventory.models import StockMovement

TODAY = date(2026, 3, 1)


@pytest.fixture
def pharmacist(make_user):
    return make_user("Pharmacist")


def _refused(pharmacist, lot, vials, message):
    before = StockMovement.objects.count()
    with pytest.raises(StockError, match=message):
        dispense(by=pharmacist, lot=lot, quantity_vials=vials, reference="order 7", today=TODAY)
    assert StockMovement.objects.count() == before
    assert not AuditEvent.objects.filter(action="stock.dispense").exists()


def test_it_dispenses_from_a_good_lot(pharmacist, make_lot):
    lot = make_lot(pharmacist, vials=6)

    movement = dispense(by=pharmacist, lot=lot, quantity_vials=4, reference="order 7", today=TODAY)

    assert (movement.kind, movement.quantity_vials, movement.reference) == ("dispense", -4, "order 7")
    assert lot.on_hand_vials == 2
    assert AuditEvent.objects.get(action="stock.dispense").after["quantity_vials"] == 4


def test_it_refuses_an_expired_lot(pharmacist, make_lot):
    lot = make_lot(pharmacist, expiry_date=TODAY, received_on=TODAY)

    dispense(by=pharmacist, lot=lot, quantity_vials=1, reference="order 1", today=TODAY)  # usable through it
    with pytest.raises(StockError, match="expired on 2026-03-01"):
        dispense(by=pharmacist, lot=lot, quantity_vials=1, reference="order 2", today=date(2026, 3, 2))
    assert lot.on_hand_vials == 9


def test_it_refuses_a_recalled_lot(pharmacist, make_lot):
    lot = make_lot(pharmacist)
    recall_lot(by=pharmacist, lot=lot, reason="Manufacturer recall 2026-02")

    _refused(pharmacist, lot, 1, "is recalled: do not dispense")


def test_it_refuses_a_quarantined_lot(pharmacist, make_lot):
    lot = make_lot(pharmacist)
    quarantine_lot(by=pharmacist, lot=lot, reason="Fridge excursion")

    _refused(pharmacist, lot, 1, "is quarantined: do not dispense")


def test_it_refuses_more_vials_than_the_lot_holds(pharmacist, make_lot):
    lot = make_lot(pharmacist, lot_number="SHORT", vials=3)

    _refused(pharmacist, lot, 4, "Lot SHORT has 3 vials left; 4 were asked for")
    assert lot.on_hand_vials == 3


@pytest.mark.parametrize("vials", [0, -2])
def test_it_refuses_a_dispense_of_no_vials(pharmacist, make_lot, vials):
    lot = make_lot(pharmacist)

    _refused(pharmacist, lot, vials, "at least one vial")
