"""The same scan on the same delivery note is received once: two simultaneous receipts (two tabs, two people
with the same box) add the vials once and the second is refused as already received (issue 22, finding 6)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from ivig.inventory.actions import StockError, receive_stock, register_product
from ivig.inventory.models import Lot, StockMovement

GTIN = "02000000000015"
SCAN = f"(01){GTIN}(17)301231(10)DUP1"


def _receive_at_once(pharmacists, **arguments):
    barrier = threading.Barrier(len(pharmacists))
    outcomes: dict[str, str] = {}

    def receive(pharmacist):
        try:
            barrier.wait(timeout=10)
            receive_stock(by=pharmacist, **arguments)
            outcomes[pharmacist.username] = "received"
        except StockError as error:
            outcomes[pharmacist.username] = str(error)
        except Exception as error:  # an IntegrityError or a lock error is a failure of the test
            outcomes[pharmacist.username] = repr(error)
        finally:
            connection.close()  # each thread has its own connection; leave none open for the flush

    threads = [threading.Thread(target=receive, args=(p,)) for p in pharmacists]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lot_exists", [False, True], ids=["first-delivery", "known-lot"])
def test_it_receives_two_simultaneous_receipts_of_one_delivery_note_once(make_user, lot_exists):
    pharmacists = [make_user("Pharmacist", "pharmacist-a"), make_user("Pharmacist", "pharmacist-b")]
    register_product(by=pharmacists[0], catalog_slug="privigen", vial_size_g=Decimal("10"), gtin=GTIN)
    if lot_exists:
        receive_stock(by=pharmacists[0], scan=SCAN, quantity_vials=2, reference="DN-0999")

    outcomes = _receive_at_once(pharmacists, scan=SCAN, quantity_vials=10, reference="DN-1001")

    assert sorted(outcome == "received" for outcome in outcomes.values()) == [False, True], outcomes
    refused = next(outcome for outcome in outcomes.values() if outcome != "received")
    assert "on delivery note DN-1001 was already received" in refused
    lot = Lot.objects.get(lot_number="DUP1")
    assert lot.on_hand_vials == (12 if lot_exists else 10)
    assert lot.movements.filter(reference="DN-1001").count() == 1


@pytest.mark.django_db
def test_it_refuses_the_same_delivery_note_again_on_the_page(client, make_user):
    pharmacist = make_user("Pharmacist")
    register_product(by=pharmacist, catalog_slug="privigen", vial_size_g=Decimal("10"), gtin=GTIN)
    client.force_login(pharmacist)
    data = {"scan": SCAN, "quantity_vials": "10", "reference": "DN-1001"}

    first = client.post(reverse("inventory:receive"), data)
    second = client.post(reverse("inventory:receive"), data | {"reference": " dn-1001 "})
    other_note = client.post(reverse("inventory:receive"), data | {"reference": "DN-1002"})

    assert first.status_code == 302 and other_note.status_code == 302
    assert second.status_code == 422  # a refused form
    assert "already received" in second.content.decode()
    assert Lot.objects.get(lot_number="DUP1").on_hand_vials == 20
    assert StockMovement.objects.filter(kind="receive").count() == 2


@pytest.mark.django_db
def test_it_still_adds_receipts_without_a_delivery_note(make_user):
    pharmacist = make_user("Pharmacist")
    register_product(by=pharmacist, catalog_slug="privigen", vial_size_g=Decimal("10"), gtin=GTIN)

    receive_stock(by=pharmacist, scan=SCAN, quantity_vials=3)
    receive_stock(by=pharmacist, scan=SCAN, quantity_vials=3)

    assert Lot.objects.get(lot_number="DUP1").on_hand_vials == 6
