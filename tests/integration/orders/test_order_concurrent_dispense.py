"""Two pharmacists dispense two orders from the last vials of one lot at once: one succeeds, one is told."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.db.models import Sum

from ivig.inventory.models import Lot, StockMovement
from ivig.orders.actions import OrderError
from ivig.orders.models import TherapyOrder
from ivig.orders.pharmacy import dispense_order
from tests.drivers.orders import verify


@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_order_take_the_last_vials(make_user, make_order, make_lot):
    prescriber = make_user("Prescriber")
    pharmacists = [make_user("Pharmacist", "pharmacist-a"), make_user("Pharmacist", "pharmacist-b")]
    orders = [make_order(prescriber), make_order(prescriber)]
    for order in orders:
        verify(order, by=pharmacists[0])
    last = make_lot(pharmacists[0], lot_number="LAST", vials=2, vial_size_g="20")  # one order's worth
    fives = make_lot(pharmacists[0], lot_number="FIVES", vials=10, vial_size_g="5")
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def dispense(pharmacist, order):
        try:
            barrier.wait(timeout=10)
            dispense_order(by=pharmacist, order=order, picks=[(last, 2), (fives, 2)])
            outcomes[order.pk] = "dispensed"
        except OrderError as error:
            outcomes[order.pk] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispense, args=pair) for pair in zip(pharmacists, orders, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["Lot LAST has 0 vials left; 2 were asked for.", "dispensed"]
    assert Lot.objects.get(pk=last.pk).on_hand_vials == 0
    assert Lot.objects.get(pk=fives.pk).on_hand_vials == 8, "the refused order took none of its 5 g vials"
    ledger = StockMovement.objects.filter(lot=last).aggregate(total=Sum("quantity_vials"))["total"]
    assert ledger == 0
    statuses = sorted(TherapyOrder.objects.values_list("status", flat=True))
    assert statuses == ["dispensed", "verified"]
