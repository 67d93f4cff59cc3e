"""Nothing is verified or dispensed for an order awaiting approval, refused, or past its end date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ivig.orders.actions import OrderError, decide_authorisation
from ivig.orders.models import TherapyOrder
from ivig.orders.pharmacy import dispense_order
from tests.drivers.orders import require_approval, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {
        "prescriber": make_user("Prescriber"),
        "pharmacist": make_user("Pharmacist"),
        "approver": make_user("Approver"),
    }


@pytest.fixture
def awaiting(people, make_order):
    require_approval(by=people["approver"], approval_days=30)
    return make_order(people["prescriber"])


def _verify(people, order, **kwargs):
    return verify(order, by=people["pharmacist"], **kwargs)


def _picks(pharmacist, make_lot):
    big = make_lot(pharmacist, lot_number="BIG", vials=10, vial_size_g="20")
    small = make_lot(pharmacist, lot_number="SMALL", vials=10, vial_size_g="5")
    return [(big, 2), (small, 2)]


def test_it_refuses_to_verify_an_order_awaiting_approval(people, awaiting):
    assert awaiting.status == TherapyOrder.Status.AWAITING_APPROVAL

    with pytest.raises(OrderError, match="not ready to verify"):
        _verify(people, awaiting)


def test_it_refuses_to_dispense_an_order_awaiting_approval(people, awaiting, make_lot):
    with pytest.raises(OrderError, match="not ready to dispense"):
        dispense_order(by=people["pharmacist"], order=awaiting, picks=_picks(people["pharmacist"], make_lot))


def test_it_refuses_to_verify_or_dispense_a_refused_order(people, awaiting, make_lot):
    decide_authorisation(by=people["approver"], order=awaiting, approved=False, reason="Not indicated")

    with pytest.raises(OrderError):
        _verify(people, awaiting)
    with pytest.raises(OrderError):
        dispense_order(by=people["pharmacist"], order=awaiting, picks=_picks(people["pharmacist"], make_lot))
    awaiting.refresh_from_db()
    assert awaiting.status == TherapyOrder.Status.REFUSED


def test_it_dispenses_until_the_end_date_and_refuses_after_it(people, awaiting, make_lot):
    until = date.today() + timedelta(days=10)
    decide_authorisation(by=people["approver"], order=awaiting, approved=True, reason="ok", valid_until=until)
    _verify(people, awaiting)
    picks = _picks(people["pharmacist"], make_lot)

    with pytest.raises(OrderError, match=f"authorisation ended on {until:%Y-%m-%d}"):
        dispense_order(by=people["pharmacist"], order=awaiting, picks=picks, today=until + timedelta(days=1))
    awaiting.refresh_from_db()
    assert awaiting.status == TherapyOrder.Status.VERIFIED
    assert not awaiting.dispensed_lots.exists()

    dispense_order(by=people["pharmacist"], order=awaiting, picks=picks, today=until)
    awaiting.refresh_from_db()
    assert awaiting.status == TherapyOrder.Status.DISPENSED


def test_it_refuses_to_verify_after_the_end_date(people, awaiting):
    until = date.today() + timedelta(days=5)
    decide_authorisation(by=people["approver"], order=awaiting, approved=True, reason="ok", valid_until=until)

    with pytest.raises(OrderError, match="must be renewed"):
        _verify(people, awaiting, today=until + timedelta(days=1))
