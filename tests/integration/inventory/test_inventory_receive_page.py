"""The receive page takes a scan or typed fields; bad input gives form errors and writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from ivig.inventory.actions import register_product
from ivig.inventory.models import Lot, StockMovement

GTIN = "00860001234565"
LINK = "https://id.gs1.org"  # a GS1 Digital Link


@pytest.fixture
def pharmacist(client, make_user):
    user = make_user("Pharmacist")
    client.force_login(user)
    return user


@pytest.fixture
def product(pharmacist):
    return register_product(by=pharmacist, catalog_slug="privigen", vial_size_g=Decimal("10"), gtin=GTIN)


def test_it_receives_a_scanned_vial(client, pharmacist, product):
    response = client.post(
        reverse("inventory:receive"), {"scan": f"(01){GTIN}(17)301231(10)SC4N", "quantity_vials": "6"}
    )

    lot = Lot.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("inventory:lot", args=[lot.pk])
    assert (lot.lot_number, lot.on_hand_vials) == ("SC4N", 6)


def test_it_receives_a_vial_scanned_as_a_digital_link(client, pharmacist, product):
    link = f"HTTPS://ID.GS1.ORG/01/{GTIN}/10/dl%2F7/21/S1?17=301200 \r\n"

    response = client.post(reverse("inventory:receive"), {"scan": link, "quantity_vials": "4"})

    lot = Lot.objects.get()
    assert response.status_code == 302
    assert (lot.product, lot.lot_number, lot.expiry_date, lot.on_hand_vials) == (
        product,
        "DL/7",
        date(2030, 12, 31),
        4,
    )


def test_it_receives_typed_fields(client, pharmacist, product):
    data = {"product": product.pk, "lot_number": "T1", "expiry_date": "2099-01-31", "quantity_vials": "2"}

    assert client.post(reverse("inventory:receive"), data).status_code == 302
    assert Lot.objects.get().on_hand_vials == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scan": "(01)00860001234562(17)301231(10)X", "quantity_vials": "1"}, "check digit"),
        ({"scan": "garbage", "quantity_vials": "1"}, "not a GS1 vial barcode"),
        ({"scan": f"(01){GTIN}(17)301231(10)X", "quantity_vials": "abc"}, "whole number"),
        ({"scan": f"(01){GTIN}(17)301231(10)X", "quantity_vials": "-3"}, "greater than or equal to 1"),
        ({"lot_number": "T1", "quantity_vials": "1"}, "Choose the product"),
        ({"scan": f"(01){GTIN}(17)200101(10)OLD", "quantity_vials": "1"}, "expired on 2020-01-01"),
        ({"scan": "(01)00012345678905(17)301231(10)X", "quantity_vials": "1"}, "is not registered"),
        ({"scan": f"{LINK}/01/{GTIN[:-1]}2/10/X?17=301231", "quantity_vials": "1"}, "check digit"),
        ({"scan": f"{LINK}/01/{GTIN}/10/OLD?17=200101", "quantity_vials": "1"}, "expired on 2020-01-01"),
        ({"scan": f"{LINK}/01/{GTIN}?17=301231", "quantity_vials": "1"}, "no (10) lot number"),
        ({"scan": "http://evil.example/?x", "quantity_vials": "1"}, "not a GS1 Digital Link for a vial"),
    ],
)
def test_it_shows_form_errors_and_writes_nothing(client, pharmacist, product, data, message):
    response = client.post(reverse("inventory:receive"), data)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Lot.objects.exists()
    assert not StockMovement.objects.exists()


def test_it_refuses_receiving_to_a_nurse(client, make_user, product):
    client.force_login(make_user("Nurse", "nurse-1"))

    response = client.post(
        reverse("inventory:receive"), {"scan": f"(01){GTIN}(17)301231(10)X", "quantity_vials": "1"}
    )

    assert response.status_code == 403
    assert not Lot.objects.exists()
