"""An order goes draft -> signed -> verified -> dispensed, each step by the right person, each audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ivig.audit.models import AuditEvent
from ivig.inventory.models import Lot
from ivig.orders.actions import OrderError, revise_order, sign_order
from ivig.orders.models import TherapyOrder
from ivig.orders.pharmacy import dispense_order, suggested_picks, vial_needs
from tests.drivers.orders import verify

pytestmark = pytest.mark.django_db


def test_it_signs_an_itp_order_with_the_core_plan(make_user, make_order):
    order = make_order(make_user("Prescriber"))
    assert order.status == TherapyOrder.Status.SIGNED
    plan = order.signed_plan
    assert plan["dosing_weight_kg"] == 25.0
    assert [day["dose_g"] for day in plan["days"]] == [25.0, 25.0]
    assert plan["days"][0]["steps"], "an IV plan has pump-rate steps"
    assert order.patient.lab_results.get(kind="platelets").value == Decimal("12")


def test_it_verifies_and_dispenses_from_two_lots(make_user, make_order, make_lot):
    prescriber, pharmacist = make_user("Prescriber"), make_user("Pharmacist")
    order = make_order(prescriber)
    verify(order, by=pharmacist)
    order.refresh_from_db()
    assert order.status == TherapyOrder.Status.VERIFIED
    needs = {need.size_g: need.count for need in vial_needs(order)}
    assert needs == {Decimal("20"): 2, Decimal("5"): 2}  # 25 g a day: one 20 g and one 5 g vial
    near = make_lot(pharmacist, lot_number="NEAR", vials=1, vial_size_g="20", expiry_date=date(2098, 1, 1))
    far = make_lot(pharmacist, lot_number="FAR", vials=10, vial_size_g="20")
    five = make_lot(pharmacist, lot_number="FIVE", vials=5, vial_size_g="5")
    picks = suggested_picks(order, date.today())
    assert [(p.lot.lot_number, p.vials) for p in picks[Decimal("20")]] == [("NEAR", 1), ("FAR", 1)]
    dispense_order(by=pharmacist, order=order, picks=[(near, 1), (far, 1), (five, 2)])
    order.refresh_from_db()
    assert order.status == TherapyOrder.Status.DISPENSED
    assert [(d.lot.lot_number, d.quantity_vials) for d in order.dispensed_lots.all()] == [
        ("NEAR", 1),
        ("FAR", 1),
        ("FIVE", 2),
    ]
    assert Lot.objects.get(pk=near.pk).on_hand_vials == 0
    actions = set(AuditEvent.objects.filter(target_id=str(order.pk)).values_list("action", flat=True))
    assert {"order.draft_save", "order.sign", "order.verify", "order.dispense"} <= actions


def test_it_refuses_a_prescriber_verifying_their_own_order(make_user, make_order):
    prescriber = make_user("Prescriber")
    order = make_order(prescriber)
    with pytest.raises(OrderError, match="different pharmacist"):
        verify(order, by=prescriber)
    order.refresh_from_db()
    assert order.status == TherapyOrder.Status.SIGNED


def test_it_refuses_a_weight_that_differs_from_the_order(make_user, make_order):
    order = make_order(make_user("Prescriber"))
    with pytest.raises(OrderError, match=r"not the order's 25\.00 kg"):
        verify(order, by=make_user("Pharmacist"), weight_kg="52")


def test_it_refuses_dispensing_the_wrong_vial_count(make_user, make_order, make_lot):
    pharmacist = make_user("Pharmacist")
    order = make_order(make_user("Prescriber"))
    verify(order, by=pharmacist)
    lot = make_lot(pharmacist, vials=10, vial_size_g="20")
    with pytest.raises(OrderError, match="needs 2 x 20 g, 2 x 5 g"):
        dispense_order(by=pharmacist, order=order, picks=[(lot, 3)])
    assert Lot.objects.get(pk=lot.pk).on_hand_vials == 10


def test_it_makes_a_new_version_and_cancels_the_old_when_signed(make_user, make_order):
    prescriber = make_user("Prescriber")
    first = make_order(prescriber)
    second = revise_order(by=prescriber, order=first)
    assert (second.version, second.previous_id, second.series_id) == (2, first.pk, first.pk)
    first.refresh_from_db()
    assert first.status == TherapyOrder.Status.SIGNED, "the old version stands until the new one is signed"
    sign_order(by=prescriber, order=second)
    first.refresh_from_db()
    assert first.status == TherapyOrder.Status.CANCELLED
    assert "replaced by" in first.cancel_reason


def test_it_has_the_database_refuse_a_prescriber_as_verifier(make_user, make_order):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    prescriber = make_user("Prescriber")
    order = make_order(prescriber)
    with pytest.raises(IntegrityError), transaction.atomic():
        TherapyOrder.objects.filter(pk=order.pk).update(verified_by=prescriber, verified_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        # Who and when go together.
        TherapyOrder.objects.filter(pk=order.pk).update(verified_by=make_user("Pharmacist"))
