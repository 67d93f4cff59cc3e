"""Bad patient input gets a form error and writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.patients.models import Measurement, Patient

VALID = {
    "mrn": "NEW00001",
    "given_name": "Ivy",
    "family_name": "Hart",
    "date_of_birth": "2015-03-02",
    "sex_at_birth": "female",
    "care_site": "",
    "weight": "30",
    "weight_unit": "kg",
    "height": "135",
    "height_unit": "cm",
}


def _counts() -> tuple[int, int, int]:
    return Patient.objects.count(), Measurement.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"weight": "-3"}, "weight", "Weight must be between 0.3 and 350 kg"),
        ({"weight": "abc"}, "weight", "Enter the weight as a number"),
        ({"weight": "0"}, "weight", "Weight must be between"),
        ({"weight": "800", "weight_unit": "lb"}, "weight", "Weight must be between"),
        ({"weight": ""}, "weight", "Enter the weight"),
        ({"height": "300"}, "height", "Height must be between 20 and 250 cm"),
        ({"height": "5", "height_unit": "in"}, "height", "Height must be between"),
        ({"date_of_birth": "2099-01-01"}, "date_of_birth", "Date of birth cannot be in the future"),
        ({"date_of_birth": "not a date"}, "date_of_birth", "Enter a valid date"),
        ({"mrn": "AB 12;"}, "mrn", "Use only letters, digits and hyphens"),
    ],
)
def test_it_rejects_bad_input_and_writes_nothing(client, make_user, changes, field, message):
    client.force_login(make_user("Nurse"))
    before = _counts()

    response = client.post(reverse("patients:create"), {**VALID, **changes})

    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert message in response.content.decode()
    assert _counts() == before


def test_it_creates_a_patient_with_valid_input(client, make_user):
    client.force_login(make_user("Nurse"))

    response = client.post(reverse("patients:create"), VALID)

    patient = Patient.objects.get(mrn="NEW00001")
    assert response.status_code == 302
    assert response.url == reverse("patients:detail", args=[patient.pk])
    assert patient.latest_weight().weight_kg == 30


def test_it_refuses_a_duplicate_mrn(client, make_user, make_patient):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="NEW00001")
    client.force_login(nurse)

    response = client.post(reverse("patients:create"), VALID)

    assert response.status_code == 400
    assert "already has this medical record number" in response.content.decode()
    assert Patient.objects.count() == 1
