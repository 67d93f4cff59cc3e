"""The stock page lists each product's lots with on hand, expiry and status."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ivig.inventory.actions import dispense, quarantine_lot


def test_it_lists_lots_by_product_with_expiry_and_status(client, make_user, make_lot):
    pharmacist = make_user("Pharmacist")
    today = timezone.localdate()
    make_lot(pharmacist, lot_number="FRESH", vials=7, expiry_date=today + timedelta(days=400))
    make_lot(pharmacist, lot_number="SOON", vials=2, expiry_date=today + timedelta(days=12))
    make_lot(
        pharmacist,
        lot_number="OLD",
        vials=5,
        expiry_date=today - timedelta(days=1),
        received_on=today - timedelta(days=9),
    )
    held = make_lot(pharmacist, lot_number="HELD", vials=4)
    quarantine_lot(by=pharmacist, lot=held, reason="Fridge excursion")
    empty = make_lot(pharmacist, lot_number="EMPTY", vials=1)
    dispense(by=pharmacist, lot=empty, quantity_vials=1, reference="order 1")
    client.force_login(pharmacist)

    page = client.get(reverse("inventory:stock")).content.decode()

    assert "Privigen 10 g" in page
    assert "9 usable vials" in page  # 7 + 2: neither the quarantined nor the expired lot counts
    assert "expires in 12 days" in page
    assert "Quarantined" in page
    assert "OLD" in page and "expired" in page
    assert "EMPTY" not in page
    assert "EMPTY" in client.get(reverse("inventory:stock") + "?empty=1").content.decode()


def test_it_offers_receiving_only_to_those_who_may_receive(client, make_user):
    client.force_login(make_user("Pharmacist"))

    assert reverse("inventory:receive") in client.get(reverse("inventory:stock")).content.decode()
