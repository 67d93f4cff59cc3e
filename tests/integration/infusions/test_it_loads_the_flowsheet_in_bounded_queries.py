"""The flowsheet page costs the same queries with 2 sets of vital signs as with 6."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ivig import clock
from ivig.infusions import actions
from tests.drivers.infusions import checked_in
from tests.drivers.queries import page_queries

pytestmark = pytest.mark.django_db


def test_it_loads_the_flowsheet_in_a_number_of_queries_that_does_not_grow_with_the_readings(
    client, dispensed_order, fixed_clock
):
    d = dispensed_order
    session = checked_in(d)
    client.force_login(d.nurse)

    def add(count):
        for _ in range(count):
            fixed_clock.advance(minutes=15)
            actions.record_vitals(
                by=d.nurse,
                session=session,
                taken_at=clock.now() - timedelta(minutes=1),
                heart_rate=90,
                systolic=104,
                diastolic=66,
                spo2=98,
            )

    page = f"/infusions/{session.pk}/"
    add(1)  # with the baseline set: 2
    client.get(page)  # the first request makes the site settings row
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    add(4)
    with CaptureQueriesContext(connection) as many:
        response = client.get(page)

    assert response.status_code == 200
    assert session.vitals.count() == 6
    assert page_queries(many) == page_queries(few)
