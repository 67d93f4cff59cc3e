"""A FHIR search costs the same queries for a page of 2 resources as for a page of 6, on each type the
load mix searches."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ivig import clock
from ivig.infusions.actions import start_session
from ivig.infusions.models import InfusionSession
from tests.drivers.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "resource_type", ["MedicationRequest", "MedicationDispense", "MedicationAdministration", "Patient"]
)
def test_it_searches_in_a_number_of_queries_that_does_not_grow_with_the_matches(
    resource_type, fhir, make_user, make_token, make_dispensed_order
):
    token = make_token(make_user("Prescriber", username="api-prescriber"))
    nurse = make_user("Nurse", username="api-nurse")

    def add(count):
        for _ in range(count):
            session = start_session(by=nurse, order=make_dispensed_order(), setting="centre")
            # Under way (an administration from its start), as the pump's start would leave it.
            InfusionSession.objects.filter(pk=session.pk).update(
                status=InfusionSession.Status.RUNNING, started_at=clock.now(), started_by=nurse
            )

    add(2)
    fhir(resource_type, token)  # the first request makes the site settings row
    with CaptureQueriesContext(connection) as few:
        first = fhir(resource_type, token)
    add(4)
    with CaptureQueriesContext(connection) as many:
        response = fhir(resource_type, token)

    assert response.status_code == 200, response.content
    assert len(response.data["entry"]) == 3 * len(first.data["entry"]) >= 6
    assert page_queries(many) == page_queries(few)
