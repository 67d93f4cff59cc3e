"""Two deliveries of the same new lot received at the same moment both land in one lot."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from ivig.inventory.actions import receive_stock, register_product
from ivig.inventory.models import Lot


@pytest.mark.django_db(transaction=True)
def test_it_adds_simultaneous_first_deliveries_to_one_lot(make_user):
    pharmacists = [make_user("Pharmacist", "pharmacist-a"), make_user("Pharmacist", "pharmacist-b")]
    product = register_product(by=pharmacists[0], catalog_slug="privigen", vial_size_g="10")
    barrier = threading.Barrier(len(pharmacists))
    outcomes: dict[str, str] = {}

    def receive(pharmacist):
        try:
            barrier.wait(timeout=10)
            receive_stock(
                by=pharmacist,
                product=product,
                quantity_vials=4,
                lot_number="NEW1",
                expiry_date=date(2099, 1, 31),
            )
            outcomes[pharmacist.username] = "received"
        except Exception as error:  # any failure, even an IntegrityError, is the outcome under test
            outcomes[pharmacist.username] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=receive, args=(p,)) for p in pharmacists]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == {"pharmacist-a": "received", "pharmacist-b": "received"}
    lot = Lot.objects.get(lot_number="NEW1")
    assert lot.on_hand_vials == 8
    assert lot.movements.count() == 2
