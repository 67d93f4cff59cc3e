"""The lot page shows the ledger and lets a pharmacist quarantine, release or recall the lot."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.inventory.actions import dispense
from ivig.inventory.models import Lot


@pytest.fixture
def pharmacist(client, make_user):
    user = make_user("Pharmacist")
    client.force_login(user)
    return user


def test_it_shows_the_lot_and_its_movements(client, pharmacist, make_lot):
    lot = make_lot(pharmacist, lot_number="L77", vials=5)
    dispense(by=pharmacist, lot=lot, quantity_vials=2, reference="order 42")

    page = client.get(reverse("inventory:lot", args=[lot.pk])).content.decode()

    assert "Lot L77" in page
    assert "3 vials" in page
    assert "order 42" in page
    assert "-2" in page and "+5" in page


@pytest.mark.parametrize(("change", "status"), [("quarantine", "quarantined"), ("recall", "recalled")])
def test_it_holds_a_lot_with_a_reason(client, pharmacist, make_lot, change, status):
    lot = make_lot(pharmacist)

    response = client.post(
        reverse("inventory:lot_status", args=[lot.pk, change]), {"reason": "Fridge at 12 °C"}
    )

    assert response.status_code == 302
    lot.refresh_from_db()
    assert (lot.status, lot.status_reason) == (status, "Fridge at 12 °C")
    assert AuditEvent.objects.filter(action=f"stock.lot_{status}").count() == 1


def test_it_asks_for_a_reason_and_changes_nothing(client, pharmacist, make_lot):
    lot = make_lot(pharmacist)

    response = client.post(reverse("inventory:lot_status", args=[lot.pk, "recall"]), {"reason": ""})

    assert response.status_code == 422
    assert "This field is required" in response.content.decode()
    assert Lot.objects.get(pk=lot.pk).status == "available"


def test_it_explains_a_change_the_lot_cannot_make(client, pharmacist, make_lot):
    lot = make_lot(pharmacist)

    response = client.post(reverse("inventory:lot_status", args=[lot.pk, "release"]), {"reason": "ok"})

    assert response.status_code == 422
    assert "is available" in response.content.decode()


def test_it_refuses_unknown_changes_and_other_roles(client, pharmacist, make_lot, make_user):
    lot = make_lot(pharmacist)

    assert (
        client.post(reverse("inventory:lot_status", args=[lot.pk, "delete"]), {"reason": "x"}).status_code
        == 404
    )
    assert client.get(reverse("inventory:lot_status", args=[lot.pk, "recall"])).status_code == 405
    client.force_login(make_user("Prescriber", "prescriber-1"))
    assert (
        client.post(reverse("inventory:lot_status", args=[lot.pk, "recall"]), {"reason": "x"}).status_code
        == 403
    )
    assert client.get(reverse("inventory:lot", args=[lot.pk])).status_code == 403
    assert Lot.objects.get(pk=lot.pk).status == "available"
