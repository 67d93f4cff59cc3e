"""Two pharmacists dispense the last vials of a lot at the same moment: one succeeds, one is told why not."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.db.models import Sum

from ivig.inventory.actions import StockError, dispense
from ivig.inventory.models import StockMovement

ROUNDS = 5


@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_of_two_simultaneous_dispenses_take_the_last_vials(make_user, make_lot):
    pharmacists = [make_user("Pharmacist", "pharmacist-a"), make_user("Pharmacist", "pharmacist-b")]
    for round_number in range(ROUNDS):
        lot = make_lot(pharmacists[0], lot_number=f"LAST{round_number}", vials=3)
        barrier = threading.Barrier(len(pharmacists))
        outcomes: dict[str, str] = {}

        def take_the_last_vials(pharmacist, lot=lot, barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait(timeout=10)
                dispense(by=pharmacist, lot=lot, quantity_vials=3, reference=f"order for {pharmacist}")
                outcomes[pharmacist.username] = "dispensed"
            except StockError as error:
                outcomes[pharmacist.username] = str(error)
            finally:
                connection.close()  # each thread has its own connection; leave none open for the flush

        threads = [threading.Thread(target=take_the_last_vials, args=(p,)) for p in pharmacists]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert sorted(outcomes.values()) == [
            f"Lot LAST{round_number} has 0 vials left; 3 were asked for.",
            "dispensed",
        ]
        assert lot.on_hand_vials == 0
        ledger = StockMovement.objects.filter(lot=lot).aggregate(total=Sum("quantity_vials"))["total"]
        assert ledger == 0
        assert StockMovement.objects.filter(lot=lot, kind="dispense").count() == 1
