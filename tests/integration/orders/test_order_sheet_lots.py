"""After dispensing, the sheet lists each lot dispensed: lot number, product, expiry and vials."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.drivers.orders import verify_and_dispense

pytestmark = pytest.mark.django_db


def test_it_lists_the_lots_once_dispensed(client, make_user, make_order, make_lot):
    prescriber, pharmacist = make_user("Prescriber"), make_user("Pharmacist")
    order = make_order(prescriber)
    url = reverse("orders:sheet", args=[order.pk])
    client.force_login(make_user("Nurse"))
    assert "Lots dispensed" not in client.get(url).content.decode()

    twenty = make_lot(pharmacist, lot_number="L20A", vials=4, vial_size_g="20", expiry_date=date(2031, 3, 31))
    five = make_lot(pharmacist, lot_number="L5B", vials=4, vial_size_g="5", expiry_date=date(2030, 6, 30))
    verify_and_dispense(order, by=pharmacist, picks=[(twenty, 2), (five, 2)])

    html = client.get(url).content.decode()
    lots = html.split("Lots dispensed", 1)[1].split("</table>", 1)[0]
    assert "L20A" in lots and "2031-03-31" in lots and "Privigen 20 g" in lots
    assert "L5B" in lots and "2030-06-30" in lots and "Privigen 5 g" in lots
    assert "Dispensed" in html
    signatures = html.split('id="sheet-signatures"', 1)[1]
    assert "Verified by (pharmacist)" in signatures and pharmacist.display_name in signatures
    assert "Dispensed by" in signatures
