"""The pharmacist's verify and dispense pages: independent check, FEFO lots, refusals as messages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from ivig.demo.orders import acknowledged_codes
from ivig.inventory.actions import recall_lot
from ivig.inventory.models import Lot
from ivig.orders.models import TherapyOrder
from tests.drivers.orders import verify

pytestmark = pytest.mark.django_db


def test_it_refuses_the_prescriber_verifying_their_own_order_in_the_page_and_by_post(
    client, make_user, make_order
):
    # A prescriber who is also a pharmacist (a dual role) still cannot check their own order.
    both = make_user("Prescriber", "dr-both")
    from django.contrib.auth.models import Group

    both.groups.add(Group.objects.get(name="Pharmacist"))
    order = make_order(both)
    client.force_login(both)
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "Verify this order" not in page
    response = client.get(reverse("orders:verify", args=[order.pk]), follow=True)
    assert "a different pharmacist must verify it" in response.content.decode()
    response = client.post(
        reverse("orders:verify", args=[order.pk]), {"weight_kg": "25", "dose_confirmed": "on"}, follow=True
    )
    assert "a different pharmacist must verify it" in response.content.decode()
    order.refresh_from_db()
    assert order.status == TherapyOrder.Status.SIGNED and order.verified_by is None


def test_it_verifies_with_a_typed_weight(client, make_user, make_order):
    order = make_order(make_user("Prescriber"))
    client.force_login(make_user("Pharmacist"))
    page = client.get(reverse("orders:verify", args=[order.pk]))
    assert page.status_code == 200
    assert 'data-testid="comparison"' in page.content.decode()
    response = client.post(
        reverse("orders:verify", args=[order.pk]), {"weight_kg": "24", "dose_confirmed": "on"}
    )
    assert response.status_code == 422
    assert "is not the order&#x27;s 25.00 kg" in response.content.decode()
    ticks = {f"ack-{code}": "on" for code in acknowledged_codes(order)}
    response = client.post(
        reverse("orders:verify", args=[order.pk]), {"weight_kg": "25", "dose_confirmed": "on", **ticks}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == TherapyOrder.Status.VERIFIED


def test_it_highlights_a_weight_recorded_since_signing(client, make_user, make_order):
    from django.utils import timezone

    from ivig.patients.actions import record_measurement

    order = make_order(make_user("Prescriber"))
    nurse = make_user("Nurse")
    record_measurement(
        by=nurse, patient=order.patient, measured_at=timezone.now(), weight_kg=Decimal("27.5"), height_cm=None
    )
    client.force_login(make_user("Pharmacist"))
    page = client.get(reverse("orders:verify", args=[order.pk])).content.decode()
    assert 'class="differs" data-testid="order-weight"' in page
    assert "27.50 kg on" in page


@pytest.fixture
def verified(make_user, make_order):
    pharmacist = make_user("Pharmacist")
    order = make_order(make_user("Prescriber"))
    verify(order, by=pharmacist)
    return pharmacist, order


def test_it_suggests_first_expiry_first_out_and_dispenses(client, verified, make_lot):
    pharmacist, order = verified
    soon = make_lot(pharmacist, lot_number="SOON", vials=1, vial_size_g="20", expiry_date=date(2090, 1, 1))
    later = make_lot(pharmacist, lot_number="LATER", vials=5, vial_size_g="20")
    fives = make_lot(pharmacist, lot_number="FIVES", vials=5, vial_size_g="5")
    client.force_login(pharmacist)
    page = client.get(reverse("orders:dispense", args=[order.pk])).content.decode()
    assert f'name="lot-{soon.pk}" value="1"' in page
    assert f'name="lot-{later.pk}" value="1"' in page
    assert f'name="lot-{fives.pk}" value="2"' in page
    response = client.post(
        reverse("orders:dispense", args=[order.pk]),
        {f"lot-{soon.pk}": "1", f"lot-{later.pk}": "1", f"lot-{fives.pk}": "2"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == TherapyOrder.Status.DISPENSED
    assert Lot.objects.with_stock().get(pk=later.pk).on_hand_vials == 4


def test_it_refuses_an_expired_lot_posted_directly(client, verified, make_lot):
    pharmacist, order = verified
    old = make_lot(
        pharmacist,
        lot_number="OLD",
        vials=5,
        vial_size_g="20",
        expiry_date=date.today() + timedelta(days=1),
        received_on=date.today(),
    )
    Lot.objects.filter(pk=old.pk).update(expiry_date=date.today() - timedelta(days=1))
    fives = make_lot(pharmacist, lot_number="FIVES", vials=5, vial_size_g="5")
    client.force_login(pharmacist)
    page = client.get(reverse("orders:dispense", args=[order.pk])).content.decode()
    assert f'name="lot-{old.pk}"' not in page
    assert "Expired" in page
    response = client.post(
        reverse("orders:dispense", args=[order.pk]), {f"lot-{old.pk}": "2", f"lot-{fives.pk}": "2"}
    )
    assert response.status_code == 422
    assert "expired on" in response.content.decode()
    order.refresh_from_db()
    assert order.status == TherapyOrder.Status.VERIFIED
    assert Lot.objects.with_stock().get(pk=fives.pk).on_hand_vials == 5, "all or nothing"


def test_it_refuses_a_recalled_lot_posted_directly(client, verified, make_lot):
    pharmacist, order = verified
    bad = make_lot(pharmacist, lot_number="BAD", vials=5, vial_size_g="20")
    fives = make_lot(pharmacist, lot_number="FIVES", vials=5, vial_size_g="5")
    recall_lot(by=pharmacist, lot=bad, reason="Manufacturer recall")
    client.force_login(pharmacist)
    response = client.post(
        reverse("orders:dispense", args=[order.pk]), {f"lot-{bad.pk}": "2", f"lot-{fives.pk}": "2"}
    )
    assert response.status_code == 422
    assert "Lot BAD is recalled: do not dispense it." in response.content.decode()
    assert Lot.objects.with_stock().get(pk=bad.pk).on_hand_vials == 5


def test_it_turns_a_nonsense_count_into_a_message(client, verified, make_lot):
    pharmacist, order = verified
    lot = make_lot(pharmacist, lot_number="L1", vials=5, vial_size_g="20")
    client.force_login(pharmacist)
    response = client.post(reverse("orders:dispense", args=[order.pk]), {f"lot-{lot.pk}": "two"})
    assert response.status_code == 422
    assert "is not a vial count" in response.content.decode()
