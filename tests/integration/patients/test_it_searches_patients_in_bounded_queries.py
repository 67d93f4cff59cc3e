"""Patient search costs the same queries for a page of 2 matching patients as for 6 (no query per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.drivers.queries import page_queries

pytestmark = pytest.mark.django_db


def test_it_searches_patients_in_a_number_of_queries_that_does_not_grow_with_the_rows(
    client, make_user, make_dispensed_order
):
    nurse = make_user("Nurse", username="rn-search")
    client.force_login(nurse)

    def add(count):
        for _ in range(count):
            make_dispensed_order()  # a Lovelace patient with an order, its lots and its allergy screening

    add(2)
    client.get("/patients/", {"q": "Lovelace"})  # the first request makes the site settings row
    with CaptureQueriesContext(connection) as few:
        client.get("/patients/", {"q": "Lovelace"})
    add(4)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/patients/", {"q": "Lovelace"})

    assert response.status_code == 200
    assert response.context["paginator"].count == 6
    assert page_queries(many) == page_queries(few)
