"""The lookback page costs the same queries for a lot given to 2 patients as for one given to 6."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ivig.demo.orders import acknowledged_codes
from ivig.orders.pharmacy import dispense_order, verify_order
from tests.drivers.queries import page_queries

pytestmark = pytest.mark.django_db


def test_it_looks_back_in_a_number_of_queries_that_does_not_grow_with_the_recipients(
    client, make_user, make_order, make_lot
):
    prescriber, pharmacist = make_user("Prescriber"), make_user("Pharmacist")
    quality = make_user("Quality", username="quality")
    quality.groups.add(Group.objects.get(name="Quality"))
    big = make_lot(pharmacist, lot_number="SHARED20", vials=40, vial_size_g="20")
    small = make_lot(pharmacist, lot_number="SHARED05", vials=40, vial_size_g="5")
    client.force_login(quality)

    def add(count):
        for _ in range(count):
            order = make_order(prescriber)
            verify_order(
                by=pharmacist,
                order=order,
                weight_kg=Decimal("25"),
                dose_confirmed=True,
                acknowledged=acknowledged_codes(order),
            )
            dispense_order(by=pharmacist, order=order, picks=[(big, 2), (small, 2)])

    page = "/hemovigilance/lookback/"
    add(2)
    client.get(page, {"lot": "SHARED20"})  # the first request makes the site settings row
    with CaptureQueriesContext(connection) as few:
        client.get(page, {"lot": "SHARED20"})
    add(4)
    with CaptureQueriesContext(connection) as many:
        response = client.get(page, {"lot": "SHARED20"})

    assert response.status_code == 200
    assert len(response.context["found"].patients) == 6
    assert page_queries(many) == page_queries(few)
