"""Search finds patients by MRN or by the start of their names, ignoring case and accents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ivig.patients.models import Patient


@pytest.fixture
def patients(make_user, make_patient):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="RB200001", given_name="Zoë", family_name="Martin")
    make_patient(nurse, mrn="RB200002", given_name="Martina", family_name="Okafor")
    make_patient(nurse, mrn="XY300003", given_name="Leo", family_name="Nguyen")
    return nurse


@pytest.mark.parametrize(
    ("query", "mrns"),
    [
        ("RB200001", ["RB200001"]),
        ("rb2000", ["RB200001", "RB200002"]),
        ("zoe", ["RB200001"]),
        ("MART", ["RB200001", "RB200002"]),
        ("martin zo", ["RB200001"]),
        ("Martin, Zoë", ["RB200001"]),
        ("nobody", []),
        ("   ", []),
    ],
)
def test_it_finds_patients(patients, query, mrns):
    assert sorted(Patient.objects.search(query).values_list("mrn", flat=True)) == mrns


def test_it_returns_a_results_fragment_to_htmx(client, patients):
    client.force_login(patients)

    response = client.get(reverse("patients:list"), {"q": "nguyen"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "XY300003" in body
    assert "RB200001" not in body
    assert "<html" not in body
