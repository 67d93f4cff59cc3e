"""The stock page's filters are a FilterSet: a location that is not one answers 400 and lists no stock, a
good one narrows the page to the vials there, and `empty=1` shows the lots with none left too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ivig.inventory.actions import dispense
from ivig.inventory.location_actions import save_location, transfer_stock
from ivig.inventory.models import Location


@pytest.mark.parametrize("location", ["x", "999999"])
def test_it_answers_400_to_a_location_that_is_not_one(client, make_user, make_lot, location):
    pharmacist = make_user("Pharmacist")
    make_lot(pharmacist, lot_number="SHOWN", vials=3)
    client.force_login(pharmacist)

    response = client.get(reverse("inventory:stock"), {"location": location})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Check the filters: location" in html and "SHOWN" not in html


def test_it_filters_by_location_and_shows_empty_lots_on_request(client, make_user, make_lot):
    pharmacist = make_user("Pharmacist")
    moved = make_lot(pharmacist, lot_number="MOVED", vials=3)
    make_lot(pharmacist, lot_number="STAYS", vials=2)
    gone = make_lot(pharmacist, lot_number="GONE", vials=1)
    dispense(by=pharmacist, lot=gone, quantity_vials=1, reference="order 1")
    fridge = save_location(by=pharmacist, name="Fridge B", kind="fridge")
    transfer_stock(
        by=pharmacist, lot=moved, from_location=Location.default(), to_location=fridge, quantity_vials=3
    )
    client.force_login(pharmacist)

    at_fridge = client.get(reverse("inventory:stock"), {"location": fridge.pk})
    everything = client.get(reverse("inventory:stock"), {"empty": "1"})

    assert at_fridge.status_code == everything.status_code == 200
    assert at_fridge.context["chosen"] == fridge
    assert "MOVED" in at_fridge.content.decode() and "STAYS" not in at_fridge.content.decode()
    assert all(name in everything.content.decode() for name in ("MOVED", "STAYS", "GONE"))
