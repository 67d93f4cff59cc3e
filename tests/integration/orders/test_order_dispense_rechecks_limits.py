"""Dispensing plans the verified order again: a course dispensed since may have passed the 28-day ceiling."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ivig.orders.actions import OrderError
from ivig.orders.models import TherapyOrder
from ivig.orders.pharmacy import dispense_order
from tests.drivers.orders import verify

pytestmark = pytest.mark.django_db


def _verified(make_order, prescriber, pharmacist, patient):
    order = make_order(prescriber, patient=patient)
    return verify(order, by=pharmacist)


def test_it_refuses_the_second_of_two_courses_verified_in_two_tabs(
    make_user, make_order, make_patient, make_lot
):
    prescriber, pharmacist = make_user("Prescriber"), make_user("Pharmacist")
    patient = make_patient(prescriber, date_of_birth=date(2018, 3, 1))
    # ITP 1 g/kg x 2 days each (2 g/kg a course): both verified before either was dispensed.
    first = _verified(make_order, prescriber, pharmacist, patient)
    second = _verified(make_order, prescriber, pharmacist, patient)
    in_a_year = date.today() + timedelta(days=365)
    g20 = make_lot(pharmacist, lot_number="G20", vials=4, vial_size_g="20", expiry_date=in_a_year)
    g05 = make_lot(pharmacist, lot_number="G05", vials=4, vial_size_g="5", expiry_date=in_a_year)
    dispense_order(by=pharmacist, order=first, picks=[(g20, 2), (g05, 2)])
    with pytest.raises(OrderError, match=r"cannot be dispensed now.*in 28 days"):
        dispense_order(by=pharmacist, order=second, picks=[(g20, 2), (g05, 2)])
    second.refresh_from_db()
    g20.refresh_from_db()
    assert second.status == TherapyOrder.Status.VERIFIED
    assert not second.dispensed_lots.exists()
