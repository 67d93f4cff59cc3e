"""Stock pages by location: the stock list by place with expiry alerts, moving and wasting vials from a lot's
page, the locations list, and a count sheet; bad input is explained and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.inventory.location_actions import save_location, transfer_stock
from ivig.inventory.models import Location, LotBalance, StockCount, StockMovement

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, make_user):
    pharmacist = make_user("Pharmacist")
    client.force_login(pharmacist)
    return pharmacist


def test_it_shows_stock_by_location_and_expiry_alerts_in_bands(client, signed_in, make_lot):
    today = timezone.localdate()
    lots = {
        number: make_lot(signed_in, lot_number=number, vials=3, expiry_date=today + timedelta(days=days))
        for days, number in ((10, "SOON"), (45, "MID"), (80, "LATER"), (200, "FAR"))
    }
    fridge = save_location(by=signed_in, name="Fridge B", kind="fridge")
    lot = lots["MID"]
    transfer_stock(
        by=signed_in, lot=lot, from_location=Location.default(), to_location=fridge, quantity_vials=1
    )

    page = client.get(reverse("inventory:stock")).content.decode()

    alerts = page[page.index("Expiry alerts") : page.index("</section>", page.index("Expiry alerts"))]
    assert (
        alerts.index("Expires within 30 days") < alerts.index("SOON") < alerts.index("Expires in 31-60 days")
    )
    assert alerts.index("Expires in 31-60 days") < alerts.index("MID") < alerts.index("Expires in 61-90 days")
    assert alerts.index("LATER") > alerts.index("Expires in 61-90 days")
    assert "FAR" not in alerts
    assert "Pharmacy: 2 · Fridge B: 1" in page
    at_fridge = client.get(reverse("inventory:stock"), {"location": fridge.pk}).content.decode()
    assert "Stock at Fridge B" in at_fridge and "SOON" not in at_fridge


def test_it_moves_and_wastes_vials_from_the_lot_page(client, signed_in, make_lot):
    lot = make_lot(signed_in, vials=5)
    fridge = save_location(by=signed_in, name="Fridge B", kind="fridge")
    pharmacy = Location.default()

    moved = client.post(
        reverse("inventory:lot_transfer", args=[lot.pk]),
        {
            "transfer-from_location": pharmacy.pk,
            "transfer-to_location": fridge.pk,
            "transfer-quantity_vials": 2,
        },
    )
    wasted = client.post(
        reverse("inventory:lot_waste", args=[lot.pk]),
        {"waste-location": fridge.pk, "waste-quantity_vials": 1, "waste-reason_code": "cold_chain"},
    )

    assert moved.status_code == wasted.status_code == 302
    balances = dict(LotBalance.objects.filter(lot=lot).values_list("location__name", "on_hand_vials"))
    assert balances == {"Pharmacy": 3, "Fridge B": 1}
    page = client.get(reverse("inventory:lot", args=[lot.pk])).content.decode()
    assert "Sent to another location" in page and "Temperature excursion (cold chain)" in page


def test_it_explains_a_bad_transfer_and_changes_nothing(client, signed_in, make_lot):
    lot = make_lot(signed_in, vials=2)
    fridge = save_location(by=signed_in, name="Fridge B", kind="fridge")
    url = reverse("inventory:lot_transfer", args=[lot.pk])
    pharmacy = Location.default().pk

    too_many = client.post(
        url,
        {"transfer-from_location": pharmacy, "transfer-to_location": fridge.pk, "transfer-quantity_vials": 9},
    )
    same = client.post(
        url,
        {"transfer-from_location": pharmacy, "transfer-to_location": pharmacy, "transfer-quantity_vials": 1},
    )
    words = client.post(
        url,
        {
            "transfer-from_location": pharmacy,
            "transfer-to_location": fridge.pk,
            "transfer-quantity_vials": "x",
        },
    )

    assert too_many.status_code == same.status_code == words.status_code == 422
    assert "has 2 vials left; 9 were asked for" in too_many.content.decode()
    assert "Choose a different location" in same.content.decode()
    assert "whole number" in words.content.decode()
    assert StockMovement.objects.filter(lot=lot).count() == 1


def test_it_reconciles_a_count_sheet(client, signed_in, make_lot):
    lot = make_lot(signed_in, vials=6)
    pharmacy = Location.default()
    url = reverse("inventory:location_count", args=[pharmacy.pk])
    sheet = client.get(url).content.decode()
    assert f'name="count-{lot.pk}"' in sheet

    missing_reason = client.post(url, {f"count-{lot.pk}": 5, f"expected-{lot.pk}": 6, "reason": ""})
    saved = client.post(url, {f"count-{lot.pk}": 5, f"expected-{lot.pk}": 6, "reason": "vial cracked"})

    assert (
        missing_reason.status_code == 422 and "Say why the count differs" in missing_reason.content.decode()
    )
    assert saved.status_code == 302
    count = StockCount.objects.get()
    assert (count.expected_vials, count.counted_vials, count.adjustment.quantity_vials) == (6, 5, -1)
    assert lot.on_hand_vials == 5


def test_it_adds_a_home_nurse_location_only_with_its_nurse(client, signed_in, make_user):
    nurse = make_user("Nurse", "nurse-ana")
    url = reverse("inventory:locations")

    refused = client.post(url, {"name": "Ana's round", "kind": "home_nurse", "active": "on"})
    added = client.post(url, {"name": "Ana's round", "kind": "home_nurse", "nurse": nurse.pk, "active": "on"})

    assert refused.status_code == 422 and "Choose the nurse" in refused.content.decode()
    assert added.status_code == 302
    assert Location.objects.get(name="Ana's round").nurse == nurse
    assert "Ana&#x27;s round" in client.get(url).content.decode()


def test_it_keeps_quality_out_of_stock_pages(client, make_user):
    client.force_login(make_user("Quality"))

    assert client.get(reverse("inventory:locations")).status_code == 403
    assert client.get(reverse("inventory:location_count", args=[Location.default().pk])).status_code == 403
