"""Six registrations of one MRN sent at the same moment: one patient is created; the others are refused with
"Another patient already has this medical record number", never a 500 from the database's unique index."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ivig.patients.actions import MRN_TAKEN
from ivig.patients.models import Patient

pytestmark = pytest.mark.django_db(transaction=True)

REGISTRARS = 6


def test_it_creates_one_patient_from_six_simultaneous_registrations(make_user):
    clients = []
    for n in range(REGISTRARS):
        client = Client()
        client.force_login(make_user("Scheduler", username=f"registrar-{n}"))
        clients.append(client)
    barrier = threading.Barrier(REGISTRARS)
    outcomes: dict[int, tuple[int, str]] = {}

    def register(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            response = clients[n].post(
                reverse("patients:create"),
                {
                    "mrn": "RB777777",
                    "given_name": f"Twin{n}",
                    "family_name": f"Racer{n}",
                    "date_of_birth": f"19{50 + n}-01-01",
                    "sex_at_birth": "female",
                    **{"weight": "60", "weight_unit": "kg", "height": "160", "height_unit": "cm"},
                },
            )
            outcomes[n] = (response.status_code, response.content.decode())
        except Exception as error:  # a 500 raised through the test client is the failure under test
            outcomes[n] = (500, repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(REGISTRARS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(status for status, _ in outcomes.values())
    assert len(outcomes) == REGISTRARS
    assert statuses.count(302) == 1, outcomes
    refused = [body for status, body in outcomes.values() if status != 302]
    assert all(status in (400, 422) for status, _ in outcomes.values() if status != 302), statuses
    assert all(MRN_TAKEN in body for body in refused), refused
    assert Patient.objects.filter(mrn="RB777777").count() == 1
