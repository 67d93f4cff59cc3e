"""The follow-up worklist costs the same queries with 2 follow-ups as with 6."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ivig import clock
from ivig.followup.actions import record_entry, start_follow_up
from tests.drivers.queries import page_queries

pytestmark = pytest.mark.django_db


def test_it_loads_the_follow_up_worklist_in_a_number_of_queries_that_does_not_grow_with_the_rows(
    client, make_user, make_dispensed_order
):
    nurse = make_user("Nurse", username="rn-followup")
    client.force_login(nurse)

    def add(count):
        for n in range(count):
            ended = clock.now() - timedelta(hours=30)
            follow_up = start_follow_up(by=nurse, order=make_dispensed_order(), ended_at=ended)
            if n % 2:  # a fever to call about; the others sent no diary (missing)
                record_entry(by=nurse, follow_up=follow_up, temp=Decimal("39.4"), temp_unit="C", symptoms={})

    add(2)
    client.get("/follow-up/")  # the first request makes the site settings row
    with CaptureQueriesContext(connection) as few:
        client.get("/follow-up/")
    add(4)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/follow-up/")

    assert response.status_code == 200
    assert (len(response.context["to_call"]), len(response.context["missing"])) == (3, 3)
    assert page_queries(many) == page_queries(few)
