"""The infusion worklist costs the same queries with 2 sessions under way as with 6."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ivig.infusions import actions
from tests.drivers.queries import page_queries

pytestmark = pytest.mark.django_db


def test_it_loads_the_infusion_worklist_in_a_number_of_queries_that_does_not_grow_with_the_rows(
    client, make_user, make_dispensed_order
):
    nurse = make_user("Nurse", username="rn-worklist")
    client.force_login(nurse)

    def add(count):
        for _ in range(count):
            actions.start_session(by=nurse, order=make_dispensed_order(), setting="centre")
            make_dispensed_order()  # and one ready to start

    add(2)
    client.get("/infusions/")  # the first request makes the site settings row
    with CaptureQueriesContext(connection) as few:
        client.get("/infusions/")
    add(4)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/infusions/")

    assert response.status_code == 200
    assert (len(response.context["sessions"]), len(response.context["ready"])) == (6, 12)
    assert page_queries(many) == page_queries(few)
