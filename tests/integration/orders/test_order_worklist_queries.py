"""A pharmacist's worklist with 40 orders costs the same few queries as one with a single order."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ivig.orders.actions import decide_authorisation
from tests.drivers.orders import require_approval, verify
from tests.drivers.queries import page_queries

pytestmark = pytest.mark.django_db

# Session, user, two permission lookups, site settings, session save, the two-factor device check: 7; then
# one query per section (2).
MAX_QUERIES = 11


def test_it_loads_a_busy_worklist_in_a_bounded_number_of_queries(
    client, make_user, make_order, django_assert_max_num_queries
):
    prescriber, pharmacist, approver = make_user("Prescriber"), make_user("Pharmacist"), make_user("Approver")
    require_approval(by=approver)

    def add_orders(count, verified):
        for _ in range(count):
            order = make_order(prescriber)
            decide_authorisation(by=approver, order=order, approved=True, reason="ok")
            if verified:
                verify(order, by=pharmacist)

    client.force_login(pharmacist)
    add_orders(1, verified=False)
    add_orders(1, verified=True)
    client.get(reverse("orders:worklist"))  # first request makes the site settings row
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("orders:worklist"))

    add_orders(29, verified=False)
    add_orders(9, verified=True)
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        response = client.get(reverse("orders:worklist"))

    assert page_queries(many) == page_queries(few)
    sections = {section.key: section for section in response.context["sections"]}
    assert (sections["verify"].total, sections["dispense"].total) == (30, 10)
    page = response.content.decode()
    assert all(order.patient.mrn in page for order in sections["verify"].orders)
