"""A family reading the patient's own record in Spanish sees it in Spanish, not only the header."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH = ("Weight and height", "Allergies", "No allergies recorded.", "Sex at birth", "not recorded")
SPANISH = (
    "Peso y estatura",
    "Alergias",
    "No hay alergias registradas.",
    "Sexo al nacer",
    "Fecha de nacimiento",
)


def test_the_patients_record_is_in_spanish(client, portal_family):
    parent, [child] = portal_family("record-es", "Lucía")
    client.force_login(parent)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})

    main = (
        client.get(reverse("patients:detail", args=[child.pk])).content.decode().split('<main id="main"')[1]
    )

    assert all(words in main for words in SPANISH), [w for w in SPANISH if w not in main]
    assert not [words for words in ENGLISH if words in main]
    assert "años" in main or "meses" in main


def test_staff_still_read_it_in_english(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)

    main = client.get(reverse("patients:detail", args=[patient.pk])).content.decode()

    assert "Weight and height" in main and "Allergies" in main
