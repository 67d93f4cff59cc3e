"""Stock by location: the seeded pharmacy, transfers (two rows, all or nothing), wastage with a reason, counts
that reconcile the ledger, and dispensing from the default pharmacy only."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from ivig.inventory.actions import StockError, dispense, quarantine_lot
from ivig.inventory.location_actions import (
    CountLine,
    reconcile_count,
    save_location,
    transfer_stock,
    waste_stock,
)
from ivig.inventory.models import Location, LotBalance, StockCount, StockMovement, StockTransfer
from ivig.inventory.queries import suggest_lots

pytestmark = pytest.mark.django_db


def _at(lot, location):
    return (
        LotBalance.objects.filter(lot=lot, location=location).values_list("on_hand_vials", flat=True).first()
    )


def _ledger(lot, location):
    return (
        StockMovement.objects.filter(lot=lot, location=location).aggregate(t=Sum("quantity_vials"))["t"] or 0
    )


@pytest.fixture
def places(make_user):
    pharmacist = make_user("Pharmacist")
    nurse = make_user("Nurse", "nurse-ana")
    fridge = save_location(by=pharmacist, name="Day unit fridge", kind="fridge")
    bag = save_location(by=pharmacist, name="Ana's home round", kind="home_nurse", nurse=nurse)
    return pharmacist, Location.default(), fridge, bag


def test_it_seeds_one_default_pharmacy_and_receives_there(make_user, make_lot):
    lot = make_lot(make_user("Pharmacist"), vials=4)

    pharmacy = Location.objects.get(is_default=True)
    assert (pharmacy.name, pharmacy.kind) == ("Pharmacy", "pharmacy")
    assert _at(lot, pharmacy) == 4
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(name="Second pharmacy", kind="pharmacy", is_default=True)


def test_it_refuses_a_home_location_without_its_nurse_in_the_database(places):
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(name="Nobody's bag", kind="home_nurse")


def test_it_moves_vials_with_two_rows_of_one_transfer(places, make_lot):
    pharmacist, pharmacy, fridge, _bag = places
    lot = make_lot(pharmacist, vials=10)

    transfer = transfer_stock(
        by=pharmacist, lot=lot, from_location=pharmacy, to_location=fridge, quantity_vials=4
    )

    rows = StockMovement.objects.filter(transfer=transfer).order_by("quantity_vials")
    assert [(row.location, row.kind, row.quantity_vials) for row in rows] == [
        (pharmacy, "transfer_out", -4),
        (fridge, "transfer_in", 4),
    ]
    assert (_at(lot, pharmacy), _at(lot, fridge)) == (6, 4)
    assert lot.on_hand_vials == 10
    for place in (pharmacy, fridge):
        assert _at(lot, place) == _ledger(lot, place)


def test_it_refuses_a_transfer_of_more_than_is_there_and_changes_nothing(places, make_lot):
    pharmacist, pharmacy, fridge, _bag = places
    lot = make_lot(pharmacist, vials=3)

    with pytest.raises(StockError, match="has 3 vials left; 5 were asked for"):
        transfer_stock(by=pharmacist, lot=lot, from_location=pharmacy, to_location=fridge, quantity_vials=5)

    assert StockTransfer.objects.count() == 0
    assert StockMovement.objects.filter(location=fridge).count() == 0
    assert _at(lot, pharmacy) == 3


def test_it_sends_held_or_expired_lots_only_back_to_a_pharmacy(places, make_lot):
    pharmacist, pharmacy, fridge, bag = places
    lot = make_lot(pharmacist, vials=6)
    transfer_stock(by=pharmacist, lot=lot, from_location=pharmacy, to_location=bag, quantity_vials=2)
    quarantine_lot(by=pharmacist, lot=lot, reason="Fridge excursion")

    with pytest.raises(StockError, match="can only go back to a pharmacy"):
        transfer_stock(by=pharmacist, lot=lot, from_location=pharmacy, to_location=fridge, quantity_vials=1)
    transfer_stock(by=pharmacist, lot=lot, from_location=bag, to_location=pharmacy, quantity_vials=2)

    assert (_at(lot, pharmacy), _at(lot, bag)) == (6, 0)
    soon = make_lot(
        pharmacist, lot_number="OLD", vials=2, expiry_date=date(2026, 1, 31), received_on=date(2026, 1, 2)
    )
    with pytest.raises(StockError, match="expired on 2026-01-31"):
        transfer_stock(
            by=pharmacist,
            lot=soon,
            from_location=pharmacy,
            to_location=bag,
            quantity_vials=1,
            today=date(2026, 2, 1),
        )


def test_it_records_wastage_with_its_reason(places, make_lot):
    pharmacist, pharmacy, fridge, _bag = places
    lot = make_lot(pharmacist, vials=5)
    transfer_stock(by=pharmacist, lot=lot, from_location=pharmacy, to_location=fridge, quantity_vials=3)

    movement = waste_stock(
        by=pharmacist, lot=lot, location=fridge, quantity_vials=1, reason_code="damaged", details="dropped"
    )

    assert (movement.kind, movement.quantity_vials, movement.reason_code) == ("waste", -1, "damaged")
    assert movement.reason == "Vial broken, leaking or damaged: dropped"
    assert _at(lot, fridge) == 2
    with pytest.raises(StockError, match="Say what happened"):
        waste_stock(by=pharmacist, lot=lot, location=fridge, quantity_vials=1, reason_code="other")
    with pytest.raises(StockError, match="Choose why"):
        waste_stock(by=pharmacist, lot=lot, location=fridge, quantity_vials=1, reason_code="count")
    with pytest.raises(StockError, match="has 2 vials left at Day unit fridge; 3 were asked for"):
        waste_stock(by=pharmacist, lot=lot, location=fridge, quantity_vials=3, reason_code="expired")


def test_it_turns_a_count_difference_into_an_adjustment_with_the_reason(places, make_lot):
    pharmacist, pharmacy, _fridge, _bag = places
    short = make_lot(pharmacist, lot_number="SHORT", vials=8)
    exact = make_lot(pharmacist, lot_number="EXACT", vials=4)

    counts = reconcile_count(
        by=pharmacist,
        location=pharmacy,
        lines=[CountLine(short, 8, 6), CountLine(exact, 4, 4)],
        reason="two vials broken in the bin",
    )

    by_lot = {count.lot.lot_number: count for count in counts}
    adjustment = by_lot["SHORT"].adjustment
    assert (adjustment.kind, adjustment.quantity_vials, adjustment.reason_code) == ("adjust", -2, "count")
    assert adjustment.reason == "Count: two vials broken in the bin"
    assert by_lot["EXACT"].adjustment is None
    assert (_at(short, pharmacy), _at(exact, pharmacy)) == (6, 4)
    assert _ledger(short, pharmacy) == 6


def test_it_refuses_a_count_when_the_ledger_moved_while_counting(places, make_lot):
    pharmacist, pharmacy, _fridge, _bag = places
    lot = make_lot(pharmacist, vials=8)
    other = make_lot(pharmacist, lot_number="OTHER", vials=3)
    dispense(by=pharmacist, lot=lot, quantity_vials=2, reference="order while counting")

    with pytest.raises(StockError, match="changed while you counted"):
        reconcile_count(
            by=pharmacist,
            location=pharmacy,
            lines=[CountLine(other, 3, 1), CountLine(lot, 8, 7)],
            reason="found short",
        )

    assert StockCount.objects.count() == 0, "all or nothing: the first lot's count was not kept either"
    assert _at(other, pharmacy) == 3


def test_it_needs_a_reason_for_a_difference(places, make_lot):
    pharmacist, pharmacy, _fridge, _bag = places
    lot = make_lot(pharmacist, vials=8)

    with pytest.raises(StockError, match="Say why the count differs"):
        reconcile_count(by=pharmacist, location=pharmacy, lines=[CountLine(lot, 8, 9)], reason=" ")


def test_it_dispenses_and_suggests_from_the_default_pharmacy_only(places, make_lot):
    pharmacist, pharmacy, fridge, _bag = places
    lot = make_lot(pharmacist, vials=5)
    transfer_stock(by=pharmacist, lot=lot, from_location=pharmacy, to_location=fridge, quantity_vials=4)

    assert [(pick.lot, pick.vials) for pick in suggest_lots(lot.product, 3, date(2026, 1, 1))] == [(lot, 1)]
    with pytest.raises(StockError, match="has 1 vial left; 2 were asked for"):
        dispense(by=pharmacist, lot=lot, quantity_vials=2, reference="order")
    movement = dispense(by=pharmacist, lot=lot, quantity_vials=2, reference="ward", location=fridge)

    assert movement.location == fridge
    assert (_at(lot, pharmacy), _at(lot, fridge)) == (1, 2)


def test_it_keeps_a_location_with_stock_or_the_default_in_use(places, make_lot):
    pharmacist, pharmacy, fridge, _bag = places
    lot = make_lot(pharmacist, vials=5)
    transfer_stock(by=pharmacist, lot=lot, from_location=pharmacy, to_location=fridge, quantity_vials=1)

    with pytest.raises(StockError, match="still holds stock"):
        save_location(by=pharmacist, location=fridge, name=fridge.name, kind="fridge", active=False)
    with pytest.raises(StockError, match="stays in use"):
        save_location(by=pharmacist, location=pharmacy, name="Pharmacy", kind="pharmacy", active=False)
    with pytest.raises(StockError, match="Location with this Name already exists"):
        save_location(by=pharmacist, name="Day unit fridge", kind="fridge")
