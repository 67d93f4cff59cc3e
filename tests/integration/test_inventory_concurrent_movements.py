"""Four pharmacists move, dispense and waste vials of one lot between three places at the same moment, in
opposite directions: stock never goes negative anywhere, every balance is the sum of its movements, and the
lot's total changes only by what left it."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection
from django.db.models import Sum

from ivig.inventory.actions import StockError, dispense
from ivig.inventory.location_actions import save_location, transfer_stock, waste_stock
from ivig.inventory.models import Location, LotBalance, StockMovement

STEPS_PER_WORKER = 25


@pytest.mark.django_db(transaction=True)
def test_it_never_lets_concurrent_movements_take_stock_below_zero(make_user, make_lot):
    workers = [make_user("Pharmacist", f"pharmacist-{n}") for n in range(4)]
    pharmacy = Location.default()
    fridge = save_location(by=workers[0], name="Fridge", kind="fridge")
    bag = save_location(by=workers[0], name="Home round", kind="home_nurse", nurse=make_user("Nurse"))
    places = [pharmacy, fridge, bag]
    lot = make_lot(workers[0], lot_number="BUSY", vials=12)
    barrier = threading.Barrier(len(workers))
    refused: list[str] = []
    failures: list[BaseException] = []

    def work(worker, seed):
        steps = random.Random(seed)
        try:
            barrier.wait(timeout=10)
            for _ in range(STEPS_PER_WORKER):
                source, target = steps.sample(places, 2)
                vials = steps.randint(1, 5)
                choice = steps.random()
                try:
                    if choice < 0.7:
                        transfer_stock(
                            by=worker, lot=lot, from_location=source, to_location=target, quantity_vials=vials
                        )
                    elif choice < 0.85:
                        dispense(by=worker, lot=lot, quantity_vials=vials, reference="order", location=source)
                    else:
                        waste_stock(
                            by=worker, lot=lot, location=source, quantity_vials=vials, reason_code="damaged"
                        )
                except StockError as error:
                    refused.append(str(error))
        except BaseException as error:  # a deadlock or integrity error would land here and fail the test
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(w, n)) for n, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert refused, "the workers did run some place dry"
    for place in places:
        balance = LotBalance.objects.filter(lot=lot, location=place).values_list("on_hand_vials", flat=True)
        ledger = StockMovement.objects.filter(lot=lot, location=place).aggregate(t=Sum("quantity_vials"))["t"]
        assert list(balance) in ([], [ledger or 0])
        assert (ledger or 0) >= 0
    left = StockMovement.objects.filter(lot=lot, kind__in=["dispense", "waste"]).aggregate(
        t=Sum("quantity_vials")
    )["t"]
    assert lot.on_hand_vials == 12 + (left or 0)
    transfers = StockMovement.objects.filter(lot=lot, kind__in=["transfer_out", "transfer_in"])
    assert transfers.aggregate(t=Sum("quantity_vials"))["t"] in (None, 0), "every transfer has both rows"
