"""A follow-up's diary page costs the same queries with 2 entries as with 6."""

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


def test_it_loads_the_diary_in_a_number_of_queries_that_does_not_grow_with_the_entries(
    client, make_user, make_dispensed_order
):
    nurse = make_user("Nurse", username="rn-diary")
    client.force_login(nurse)
    follow_up = start_follow_up(
        by=nurse, order=make_dispensed_order(), ended_at=clock.now() - timedelta(hours=30)
    )
    written = iter(range(100))

    def add(count):
        for _ in range(count):
            n = next(written)
            record_entry(
                by=nurse,
                follow_up=follow_up,
                temp=Decimal("37.2"),
                temp_unit="C",
                symptoms={},
                notes=f"entry {n}",
                recorded_at=clock.now() - timedelta(hours=29 - n),
            )

    page = f"/follow-up/{follow_up.pk}/diary/"
    add(2)
    client.get(page)  # the first request makes the site settings row
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    add(4)
    with CaptureQueriesContext(connection) as many:
        response = client.get(page)

    assert response.status_code == 200
    assert len(response.context["entries"]) == 6
    assert page_queries(many) == page_queries(few)
