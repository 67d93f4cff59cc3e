"""A NUL character in a path, a search or a posted form is refused with a 400 and a message before any view
runs (PostgreSQL refuses NUL in text, so a search or a save would otherwise answer 500)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ivig.patients.models import Patient
from ivig.web.middleware import NUL_REFUSED

pytestmark = pytest.mark.django_db

PATIENT = {
    "mrn": "RB123456",
    "given_name": "Ada",
    "family_name": "Ng",
    "date_of_birth": "1990-01-01",
    "sex_at_birth": "female",
    "weight": "60",
    "weight_unit": "kg",
    "height": "160",
    "height_unit": "cm",
}


@pytest.mark.parametrize("field", ["mrn", "given_name", "family_name"])
def test_it_refuses_a_nul_in_a_registration(client, make_user, field):
    client.force_login(make_user("Nurse"))

    response = client.post(reverse("patients:create"), {**PATIENT, field: PATIENT[field] + "\x00"})

    assert response.status_code == 400
    assert NUL_REFUSED in response.content.decode()
    assert not Patient.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("patients:list", {"q": "RB\x00"}),
        ("patients:list", {"q": "\x00"}),
        ("patients:list", {"q\x00": "Ada"}),
        ("audit:list", {"patient": "RB\x00"}),
        ("hemovigilance:lookback", {"lot": "P1\x00"}),
        ("scheduling:home", {"nurse": "1\x00"}),
    ],
)
def test_it_refuses_a_nul_in_a_search(client, make_user, url_name, params):
    client.force_login(make_user("Admin"))

    response = client.get(reverse(url_name), params)

    assert response.status_code == 400
    assert NUL_REFUSED in response.content.decode()


def test_it_refuses_a_nul_in_a_path(client, make_user):
    client.force_login(make_user("Nurse"))

    response = client.get("/patients/\x00/")

    assert response.status_code == 400
